//! What a compose file may contain, checked over the positioned tree, so that a file
//! `docker compose config` would reject (an unknown key, a value of the wrong type) is rejected
//! here with the line and column of the offending key or value.
//!
//! The format is described by rampart's own tables below, written from the Compose
//! Specification and the Compose file reference: for each kind of object, the keys it knows and
//! the kind of value each one takes. They say only what we enforce; how values are read (sizes,
//! durations, port syntax...) is checked later, by the conversion, where it has the details.
//! Keys starting with `x-` are extensions and allowed in every object.

use crate::yaml::{Node, Pos, ScalarKind, Value};
use std::collections::HashMap;

/// A schema violation: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub pos: Pos,
    pub message: String,
}

/// Validates a whole compose document (all files merged).
pub fn validate(root: &Node) -> Result<(), SchemaError> {
    check(root, &FILE, &mut Vec::new())
}

// ---------------------------------------------------------------------------------------------
// The vocabulary of the tables.

/// A set of scalar kinds (after YAML resolution and compose's string-to-number casts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scalars(u8);

impl Scalars {
    const STRING: Scalars = Scalars(1);
    const INTEGER: Scalars = Scalars(2);
    const FLOAT: Scalars = Scalars(4);
    const BOOLEAN: Scalars = Scalars(8);
    const NULL: Scalars = Scalars(16);

    const fn or(self, other: Scalars) -> Scalars {
        Scalars(self.0 | other.0)
    }

    fn allows(self, kind: ScalarKind) -> bool {
        let bit = match kind {
            ScalarKind::Str => Scalars::STRING,
            ScalarKind::Int(_) => Scalars::INTEGER,
            ScalarKind::Float => Scalars::FLOAT,
            ScalarKind::Bool(_) => Scalars::BOOLEAN,
            ScalarKind::Null => Scalars::NULL,
        };
        self.0 & bit.0 != 0
    }

    fn describe(self) -> Vec<String> {
        let mut names = Vec::new();
        if self.0 & Scalars::STRING.0 != 0 {
            names.push("a string");
        }
        match (self.0 & Scalars::INTEGER.0 != 0, self.0 & Scalars::FLOAT.0 != 0) {
            (true, true) | (false, true) => names.push("a number"),
            (true, false) => names.push("an integer"),
            (false, false) => {}
        }
        if self.0 & Scalars::BOOLEAN.0 != 0 {
            names.push("a boolean");
        }
        if self.0 & Scalars::NULL.0 != 0 {
            names.push("null");
        }
        names.into_iter().map(str::to_string).collect()
    }
}

/// Which keys a mapping of names (services, labels...) accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    /// Services, volumes, secrets...: letters, digits, `.`, `_`, `-`.
    Resource,
    /// Labels, options...: any non-empty single-line key. Also top-level networks and models
    /// and ulimits, whose names compose checks only when they look valid (others pass).
    Any,
}

impl Names {
    fn accepts(self, key: &str) -> bool {
        !key.is_empty()
            && match self {
                Names::Resource => key.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
                Names::Any => !key.contains('\n'),
            }
    }

    fn explain(self) -> &'static str {
        match self {
            Names::Resource => "names may only contain letters, digits, `.`, `_` and `-`",
            Names::Any => "keys must be one non-empty line",
        }
    }
}

/// String values with a syntax checked here (the others are checked by the conversion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Somewhere in it, a letter or digit followed by a letter, digit, `_`, `.` or `-`.
    ContainerName,
    /// `always`, `never`, `missing`, `build`, `if_not_present`, `refresh`, `daily`, `weekly`
    /// or `every_<duration>` such as `every_12h`.
    PullPolicy,
}

impl Syntax {
    fn accepts(self, text: &str) -> bool {
        match self {
            Syntax::ContainerName => text
                .as_bytes()
                .windows(2)
                .any(|w| w[0].is_ascii_alphanumeric() && (w[1].is_ascii_alphanumeric() || b"_.-".contains(&w[1]))),
            Syntax::PullPolicy => {
                ["always", "never", "build", "if_not_present", "missing", "refresh", "daily", "weekly"]
                    .iter()
                    .any(|word| text.contains(word))
                    || text.match_indices("every_").any(|(i, _)| {
                        let rest = &text.as_bytes()[i + "every_".len()..];
                        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                        digits > 0 && rest.get(digits).is_some_and(|b| b"wdhms".contains(b))
                    })
            }
        }
    }

    fn explain(self) -> &'static str {
        match self {
            Syntax::ContainerName => "is not a valid container name (letters, digits, `_`, `.`, `-`)",
            Syntax::PullPolicy => {
                "is not a pull policy (always, never, missing, build, if_not_present, refresh, daily, weekly, every_<duration>)"
            }
        }
    }
}

/// What a value may be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Anything.
    Any,
    /// A scalar of one of these kinds.
    Scalar(Scalars),
    /// An integer within bounds (inclusive).
    IntegerIn(i64, i64),
    /// One of these words.
    Word(&'static [&'static str]),
    /// A string with a syntax.
    Text(Syntax),
    /// A list whose items follow the rule; `true` when an item may not appear twice.
    List(&'static Rule, bool),
    /// A mapping with known keys.
    Object(&'static Shape),
    /// A mapping of names to values following the rule.
    Named(Names, &'static Rule),
    /// The first alternative that holds; they have different types, so when none holds the
    /// one whose type fits the value explains what is wrong.
    Either(&'static [Rule]),
}

/// A kind of object: its keys, the rule for each value, and the keys it must have.
#[derive(Debug)]
pub(crate) struct Shape {
    pub keys: &'static [(&'static str, Rule)],
    pub required: &'static [&'static str],
}

impl Shape {
    fn rule_for(&self, key: &str) -> Option<&'static Rule> {
        self.keys.iter().find(|(name, _)| *name == key).map(|(_, rule)| rule)
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds of values used across the format.

const STRING: Rule = Rule::Scalar(Scalars::STRING);
const INTEGER: Rule = Rule::Scalar(Scalars::INTEGER);
const NUMBER: Rule = Rule::Scalar(Scalars::INTEGER.or(Scalars::FLOAT));
const NULL: Rule = Rule::Scalar(Scalars::NULL);
/// Booleans written as such; compose casts `"true"`, `yes`... only where it also accepts a string.
const STRICT_BOOLEAN: Rule = Rule::Scalar(Scalars::BOOLEAN);
/// A boolean, or a string (an interpolation compose casts later).
const BOOLEAN: Rule = Rule::Scalar(Scalars::BOOLEAN.or(Scalars::STRING));
const INTEGER_OR_STRING: Rule = Rule::Scalar(Scalars::INTEGER.or(Scalars::STRING));
const NUMBER_OR_STRING: Rule = Rule::Scalar(Scalars::INTEGER.or(Scalars::FLOAT).or(Scalars::STRING));
const BOOLEAN_OR_STRING: Rule = BOOLEAN;
/// A Go duration such as `1m30s` (its syntax is checked by the conversion).
const DURATION: Rule = STRING;
/// A byte size: a number of bytes or a string such as `512m`.
const BYTE_SIZE: Rule = NUMBER_OR_STRING;
/// A CPU count, CPU shares and similar: a number or its text.
const CPU: Rule = NUMBER_OR_STRING;
const STRING_LIST: Rule = Rule::List(&STRING, false);
/// A list of strings where an item may not appear twice.
const STRING_SET: Rule = Rule::List(&STRING, true);
const STRING_OR_LIST: Rule = Rule::Either(&[STRING, STRING_SET]);
/// `KEY: value` mapping or `KEY=value` list (environment, labels, args, sysctls...).
const LIST_OR_MAPPING: Rule = Rule::Either(&[
    Rule::Named(
        Names::Any,
        &Rule::Scalar(Scalars::STRING.or(Scalars::INTEGER).or(Scalars::FLOAT).or(Scalars::BOOLEAN).or(Scalars::NULL)),
    ),
    STRING_SET,
]);
/// `host: address` (one address or several) or `host:address` / `host=address` list.
const EXTRA_HOSTS: Rule = Rule::Either(&[Rule::Named(Names::Any, &Rule::Either(&[STRING, STRING_LIST])), STRING_SET]);
/// A command: null (the image's), a shell string, or an exec-form list.
const COMMAND: Rule = Rule::Either(&[Rule::Scalar(Scalars::NULL.or(Scalars::STRING)), STRING_LIST]);
const DRIVER_OPTS: Rule = Rule::Named(Names::Any, &NUMBER_OR_STRING);
const STRING_MAP: Rule = Rule::Named(Names::Any, &STRING);
/// `external: true`, or the legacy `external: {name: ...}`.
const EXTERNAL: Rule = Rule::Either(&[BOOLEAN_OR_STRING, Rule::Object(&Shape { keys: &[("name", STRING)], required: &[] })]);
const ULIMITS: Rule = Rule::Named(
    Names::Any,
    &Rule::Either(&[
        INTEGER_OR_STRING,
        Rule::Object(&Shape { keys: &[("soft", INTEGER_OR_STRING), ("hard", INTEGER_OR_STRING)], required: &["soft", "hard"] }),
    ]),
);
/// Service `secrets:` / `configs:` and build `secrets:`: names or `{source, target, uid, gid, mode}`.
const FILE_REFERENCES: Rule = Rule::List(
    &Rule::Either(&[
        STRING,
        Rule::Object(&Shape {
            keys: &[("source", STRING), ("target", STRING), ("uid", STRING), ("gid", STRING), ("mode", NUMBER_OR_STRING)],
            required: &[],
        }),
    ]),
    false,
);

// ---------------------------------------------------------------------------------------------
// The top level.

const FILE: Rule = Rule::Object(&Shape {
    keys: &[
        ("version", STRING),
        ("name", STRING),
        ("include", Rule::List(&Rule::Either(&[STRING, Rule::Object(&INCLUDE)]), false)),
        ("services", Rule::Named(Names::Resource, &Rule::Object(&SERVICE))),
        ("networks", Rule::Named(Names::Any, &Rule::Either(&[Rule::Object(&NETWORK), NULL]))),
        ("volumes", Rule::Named(Names::Resource, &Rule::Either(&[Rule::Object(&VOLUME), NULL]))),
        ("secrets", Rule::Named(Names::Resource, &Rule::Object(&SECRET))),
        ("configs", Rule::Named(Names::Resource, &Rule::Object(&CONFIG))),
        ("models", Rule::Named(Names::Any, &Rule::Object(&MODEL))),
    ],
    required: &[],
});

const INCLUDE: Shape =
    Shape { keys: &[("path", STRING_OR_LIST), ("env_file", STRING_OR_LIST), ("project_directory", STRING)], required: &[] };

const NETWORK: Shape = Shape {
    keys: &[
        ("name", STRING),
        ("driver", STRING),
        ("driver_opts", DRIVER_OPTS),
        (
            "ipam",
            Rule::Object(&Shape {
                keys: &[
                    ("driver", STRING),
                    (
                        "config",
                        Rule::List(
                            &Rule::Object(&Shape {
                                keys: &[
                                    ("subnet", STRING),
                                    ("ip_range", STRING),
                                    ("gateway", STRING),
                                    ("aux_addresses", STRING_MAP),
                                ],
                                required: &[],
                            }),
                            false,
                        ),
                    ),
                    ("options", STRING_MAP),
                ],
                required: &[],
            }),
        ),
        ("external", EXTERNAL),
        ("internal", BOOLEAN),
        ("enable_ipv4", BOOLEAN),
        ("enable_ipv6", BOOLEAN),
        ("attachable", BOOLEAN),
        ("labels", LIST_OR_MAPPING),
    ],
    required: &[],
};

const VOLUME: Shape = Shape {
    keys: &[
        ("name", STRING),
        ("driver", STRING),
        ("driver_opts", DRIVER_OPTS),
        ("external", EXTERNAL),
        ("labels", LIST_OR_MAPPING),
    ],
    required: &[],
};

const SECRET: Shape = Shape {
    keys: &[
        ("name", STRING),
        ("file", STRING),
        ("environment", STRING),
        ("external", EXTERNAL),
        ("labels", LIST_OR_MAPPING),
        ("driver", STRING),
        ("driver_opts", DRIVER_OPTS),
        ("template_driver", STRING),
    ],
    required: &[],
};

const CONFIG: Shape = Shape {
    keys: &[
        ("name", STRING),
        ("file", STRING),
        ("environment", STRING),
        ("content", STRING),
        ("external", EXTERNAL),
        ("labels", LIST_OR_MAPPING),
        ("template_driver", STRING),
    ],
    required: &[],
};

const MODEL: Shape = Shape {
    keys: &[("name", STRING), ("model", STRING), ("context_size", INTEGER), ("runtime_flags", STRING_LIST)],
    required: &["model"],
};

// ---------------------------------------------------------------------------------------------
// Services.

const SERVICE: Shape = Shape {
    keys: &[
        ("annotations", LIST_OR_MAPPING),
        ("attach", BOOLEAN),
        ("blkio_config", Rule::Object(&BLKIO_CONFIG)),
        ("build", Rule::Either(&[STRING, Rule::Object(&BUILD)])),
        ("cap_add", STRING_SET),
        ("cap_drop", STRING_SET),
        ("cgroup", Rule::Word(&["host", "private"])),
        ("cgroup_parent", STRING),
        ("command", COMMAND),
        ("configs", FILE_REFERENCES),
        ("container_name", Rule::Text(Syntax::ContainerName)),
        ("cpu_count", Rule::Either(&[STRING, Rule::IntegerIn(0, i64::MAX)])),
        ("cpu_percent", Rule::Either(&[STRING, Rule::IntegerIn(0, 100)])),
        ("cpu_period", CPU),
        ("cpu_quota", CPU),
        ("cpu_rt_period", CPU),
        ("cpu_rt_runtime", CPU),
        ("cpu_shares", CPU),
        ("cpus", CPU),
        ("cpuset", STRING),
        (
            "credential_spec",
            Rule::Object(&Shape { keys: &[("config", STRING), ("file", STRING), ("registry", STRING)], required: &[] }),
        ),
        ("depends_on", Rule::Either(&[STRING_SET, Rule::Named(Names::Resource, &Rule::Object(&DEPENDENCY))])),
        ("deploy", Rule::Either(&[Rule::Object(&DEPLOY), NULL])),
        ("develop", Rule::Either(&[Rule::Object(&DEVELOP), NULL])),
        ("device_cgroup_rules", STRING_SET),
        ("devices", Rule::List(&Rule::Either(&[STRING, Rule::Object(&DEVICE)]), false)),
        ("dns", STRING_OR_LIST),
        ("dns_opt", STRING_SET),
        ("dns_search", STRING_OR_LIST),
        ("domainname", STRING),
        ("entrypoint", COMMAND),
        ("env_file", Rule::Either(&[STRING, Rule::List(&Rule::Either(&[STRING, Rule::Object(&ENV_FILE)]), false)])),
        ("environment", LIST_OR_MAPPING),
        ("expose", Rule::List(&NUMBER_OR_STRING, true)),
        ("extends", Rule::Either(&[STRING, Rule::Object(&EXTENDS)])),
        ("external_links", STRING_SET),
        ("extra_hosts", EXTRA_HOSTS),
        ("gpus", Rule::Either(&[Rule::Word(&["all"]), Rule::List(&Rule::Object(&GPU_REQUEST), false)])),
        ("group_add", Rule::List(&NUMBER_OR_STRING, true)),
        ("healthcheck", Rule::Object(&HEALTHCHECK)),
        ("hostname", STRING),
        ("image", STRING),
        ("init", BOOLEAN),
        ("ipc", STRING),
        ("isolation", STRING),
        ("label_file", Rule::Either(&[STRING, STRING_LIST])),
        ("labels", LIST_OR_MAPPING),
        ("links", STRING_SET),
        ("logging", Rule::Object(&LOGGING)),
        ("mac_address", STRING),
        ("mem_limit", BYTE_SIZE),
        ("mem_reservation", INTEGER_OR_STRING),
        ("mem_swappiness", INTEGER_OR_STRING),
        ("memswap_limit", BYTE_SIZE),
        ("models", Rule::Either(&[STRING_SET, Rule::Named(Names::Resource, &Rule::Either(&[Rule::Object(&MODEL_USE), NULL]))])),
        ("network_mode", STRING),
        (
            "networks",
            Rule::Either(&[STRING_SET, Rule::Named(Names::Resource, &Rule::Either(&[Rule::Object(&SERVICE_NETWORK), NULL]))]),
        ),
        ("oom_kill_disable", BOOLEAN),
        ("oom_score_adj", Rule::Either(&[STRING, Rule::IntegerIn(-1000, 1000)])),
        ("pid", Rule::Scalar(Scalars::STRING.or(Scalars::NULL))),
        ("pids_limit", NUMBER_OR_STRING),
        ("platform", STRING),
        ("ports", Rule::List(&Rule::Either(&[NUMBER_OR_STRING, Rule::Object(&PORT)]), true)),
        ("post_start", Rule::List(&Rule::Object(&HOOK), false)),
        ("pre_start", Rule::List(&Rule::Object(&PRE_START_HOOK), false)),
        ("pre_stop", Rule::List(&Rule::Object(&HOOK), false)),
        ("privileged", BOOLEAN),
        ("profiles", STRING_SET),
        ("provider", Rule::Object(&PROVIDER)),
        ("pull_policy", Rule::Text(Syntax::PullPolicy)),
        ("pull_refresh_after", STRING),
        ("read_only", BOOLEAN),
        ("restart", STRING),
        ("runtime", STRING),
        ("scale", INTEGER_OR_STRING),
        ("secrets", FILE_REFERENCES),
        ("security_opt", STRING_SET),
        ("shm_size", BYTE_SIZE),
        ("stdin_open", BOOLEAN),
        ("stop_grace_period", DURATION),
        ("stop_signal", STRING),
        ("storage_opt", Rule::Named(Names::Any, &Rule::Any)),
        ("sysctls", LIST_OR_MAPPING),
        ("tmpfs", STRING_OR_LIST),
        ("tty", BOOLEAN),
        ("ulimits", ULIMITS),
        ("use_api_socket", STRICT_BOOLEAN),
        ("user", STRING),
        ("userns_mode", STRING),
        ("uts", STRING),
        ("volumes", Rule::List(&Rule::Either(&[STRING, Rule::Object(&SERVICE_VOLUME)]), true)),
        ("volumes_from", STRING_SET),
        ("working_dir", STRING),
    ],
    required: &[],
};

const BUILD: Shape = Shape {
    keys: &[
        ("context", STRING),
        ("dockerfile", STRING),
        ("dockerfile_inline", STRING),
        ("args", LIST_OR_MAPPING),
        ("additional_contexts", LIST_OR_MAPPING),
        ("cache_from", STRING_LIST),
        ("cache_to", STRING_LIST),
        ("entitlements", STRING_LIST),
        ("extra_hosts", EXTRA_HOSTS),
        ("isolation", STRING),
        ("labels", LIST_OR_MAPPING),
        ("network", STRING),
        ("no_cache", BOOLEAN),
        ("no_cache_filter", STRING_OR_LIST),
        ("platforms", STRING_LIST),
        ("privileged", BOOLEAN),
        ("provenance", BOOLEAN_OR_STRING),
        ("pull", BOOLEAN),
        ("sbom", BOOLEAN_OR_STRING),
        ("secrets", FILE_REFERENCES),
        ("shm_size", INTEGER_OR_STRING),
        ("ssh", LIST_OR_MAPPING),
        ("tags", STRING_LIST),
        ("target", STRING),
        ("ulimits", ULIMITS),
    ],
    required: &[],
};

const BLKIO_CONFIG: Shape = Shape {
    keys: &[
        ("device_read_bps", Rule::List(&BLKIO_RATE, false)),
        ("device_read_iops", Rule::List(&BLKIO_RATE, false)),
        ("device_write_bps", Rule::List(&BLKIO_RATE, false)),
        ("device_write_iops", Rule::List(&BLKIO_RATE, false)),
        ("weight", INTEGER_OR_STRING),
        (
            "weight_device",
            Rule::List(&Rule::Object(&Shape { keys: &[("path", STRING), ("weight", INTEGER_OR_STRING)], required: &[] }), false),
        ),
    ],
    required: &[],
};

const BLKIO_RATE: Rule = Rule::Object(&Shape { keys: &[("path", STRING), ("rate", INTEGER_OR_STRING)], required: &[] });

const DEPENDENCY: Shape = Shape {
    keys: &[
        ("condition", Rule::Word(&["service_started", "service_healthy", "service_completed_successfully"])),
        ("restart", BOOLEAN),
        ("required", STRICT_BOOLEAN),
    ],
    required: &["condition"],
};

const DEPLOY: Shape = Shape {
    keys: &[
        ("mode", STRING),
        ("endpoint_mode", STRING),
        ("replicas", INTEGER_OR_STRING),
        ("labels", LIST_OR_MAPPING),
        ("update_config", Rule::Object(&ROLLOUT)),
        ("rollback_config", Rule::Object(&ROLLOUT)),
        (
            "resources",
            Rule::Object(&Shape {
                keys: &[
                    (
                        "limits",
                        Rule::Object(&Shape {
                            keys: &[("cpus", CPU), ("memory", STRING), ("pids", INTEGER_OR_STRING)],
                            required: &[],
                        }),
                    ),
                    (
                        "reservations",
                        Rule::Object(&Shape {
                            keys: &[
                                ("cpus", CPU),
                                ("memory", STRING),
                                ("generic_resources", Rule::List(&Rule::Object(&GENERIC_RESOURCE), false)),
                                ("devices", Rule::List(&Rule::Object(&DEVICE_RESERVATION), false)),
                            ],
                            required: &[],
                        }),
                    ),
                ],
                required: &[],
            }),
        ),
        (
            "restart_policy",
            Rule::Object(&Shape {
                keys: &[("condition", STRING), ("delay", DURATION), ("max_attempts", INTEGER_OR_STRING), ("window", DURATION)],
                required: &[],
            }),
        ),
        (
            "placement",
            Rule::Object(&Shape {
                keys: &[
                    ("constraints", STRING_LIST),
                    ("preferences", Rule::List(&Rule::Object(&Shape { keys: &[("spread", STRING)], required: &[] }), false)),
                    ("max_replicas_per_node", INTEGER_OR_STRING),
                ],
                required: &[],
            }),
        ),
    ],
    required: &[],
};

/// `update_config` and `rollback_config`.
const ROLLOUT: Shape = Shape {
    keys: &[
        ("parallelism", INTEGER_OR_STRING),
        ("delay", DURATION),
        ("failure_action", STRING),
        ("monitor", DURATION),
        ("max_failure_ratio", NUMBER_OR_STRING),
        ("order", Rule::Word(&["start-first", "stop-first"])),
    ],
    required: &[],
};

const GENERIC_RESOURCE: Shape = Shape {
    keys: &[(
        "discrete_resource_spec",
        Rule::Object(&Shape { keys: &[("kind", STRING), ("value", NUMBER_OR_STRING)], required: &[] }),
    )],
    required: &[],
};

/// Keys of a device request, under `gpus:` and `deploy.resources.reservations.devices`.
const DEVICE_REQUEST_KEYS: &[(&str, Rule)] = &[
    ("capabilities", STRING_SET),
    ("count", INTEGER_OR_STRING),
    ("device_ids", STRING_SET),
    ("driver", STRING),
    ("options", LIST_OR_MAPPING),
];
const GPU_REQUEST: Shape = Shape { keys: DEVICE_REQUEST_KEYS, required: &[] };
const DEVICE_RESERVATION: Shape = Shape { keys: DEVICE_REQUEST_KEYS, required: &["capabilities"] };

const DEVELOP: Shape = Shape {
    keys: &[(
        "watch",
        Rule::List(
            &Rule::Object(&Shape {
                keys: &[
                    ("path", STRING),
                    ("action", Rule::Word(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"])),
                    ("target", STRING),
                    ("ignore", STRING_OR_LIST),
                    ("include", STRING_OR_LIST),
                    ("exec", Rule::Object(&HOOK)),
                    ("initial_sync", STRICT_BOOLEAN),
                ],
                required: &["path", "action"],
            }),
            false,
        ),
    )],
    required: &[],
};

const DEVICE: Shape = Shape { keys: &[("source", STRING), ("target", STRING), ("permissions", STRING)], required: &["source"] };

const ENV_FILE: Shape = Shape { keys: &[("path", STRING), ("format", STRING), ("required", BOOLEAN)], required: &["path"] };

const EXTENDS: Shape = Shape { keys: &[("service", STRING), ("file", STRING)], required: &["service"] };

const HEALTHCHECK: Shape = Shape {
    keys: &[
        ("test", Rule::Either(&[STRING, STRING_LIST])),
        ("interval", DURATION),
        ("timeout", DURATION),
        ("retries", NUMBER_OR_STRING),
        ("start_period", DURATION),
        ("start_interval", DURATION),
        ("disable", BOOLEAN),
    ],
    required: &[],
};

/// `post_start`, `pre_stop` and a watch rule's `exec`.
const HOOK: Shape = Shape {
    keys: &[
        ("command", COMMAND),
        ("user", STRING),
        ("privileged", BOOLEAN),
        ("working_dir", STRING),
        ("environment", LIST_OR_MAPPING),
    ],
    required: &["command"],
};

const PRE_START_HOOK: Shape = Shape {
    keys: &[
        ("command", COMMAND),
        ("image", STRING),
        ("user", STRING),
        ("privileged", BOOLEAN),
        ("working_dir", STRING),
        ("environment", LIST_OR_MAPPING),
        ("per_replica", BOOLEAN),
    ],
    required: &[],
};

const LOGGING: Shape = Shape {
    keys: &[
        ("driver", STRING),
        (
            "options",
            Rule::Named(Names::Any, &Rule::Scalar(Scalars::STRING.or(Scalars::INTEGER).or(Scalars::FLOAT).or(Scalars::NULL))),
        ),
    ],
    required: &[],
};

const MODEL_USE: Shape = Shape { keys: &[("endpoint_var", STRING), ("model_var", STRING)], required: &[] };

const SERVICE_NETWORK: Shape = Shape {
    keys: &[
        ("aliases", STRING_SET),
        ("interface_name", STRING),
        ("ipv4_address", STRING),
        ("ipv6_address", STRING),
        ("link_local_ips", STRING_SET),
        ("mac_address", STRING),
        ("driver_opts", DRIVER_OPTS),
        ("priority", NUMBER),
        ("gw_priority", NUMBER),
    ],
    required: &[],
};

const PORT: Shape = Shape {
    keys: &[
        ("name", STRING),
        ("target", INTEGER_OR_STRING),
        ("published", INTEGER_OR_STRING),
        ("host_ip", STRING),
        ("protocol", STRING),
        ("app_protocol", STRING),
        ("mode", STRING),
    ],
    required: &[],
};

const PROVIDER: Shape = Shape {
    keys: &[
        ("type", STRING),
        ("options", Rule::Named(Names::Any, &Rule::Either(&[PROVIDER_OPTION, Rule::List(&PROVIDER_OPTION, false)]))),
    ],
    required: &["type"],
};

const PROVIDER_OPTION: Rule = Rule::Scalar(Scalars::STRING.or(Scalars::INTEGER).or(Scalars::FLOAT).or(Scalars::BOOLEAN));

const SERVICE_VOLUME: Shape = Shape {
    keys: &[
        ("type", Rule::Word(&["bind", "volume", "tmpfs", "image", "npipe", "cluster"])),
        ("source", STRING),
        ("target", STRING),
        ("read_only", BOOLEAN),
        ("consistency", STRING),
        (
            "bind",
            Rule::Object(&Shape {
                keys: &[
                    ("propagation", STRING),
                    ("create_host_path", BOOLEAN),
                    ("recursive", Rule::Word(&["enabled", "disabled", "writable", "readonly"])),
                    ("selinux", Rule::Word(&["z", "Z"])),
                ],
                required: &[],
            }),
        ),
        (
            "volume",
            Rule::Object(&Shape {
                keys: &[("labels", LIST_OR_MAPPING), ("nocopy", BOOLEAN), ("subpath", STRING)],
                required: &[],
            }),
        ),
        (
            "tmpfs",
            Rule::Object(&Shape {
                keys: &[("size", Rule::Either(&[Rule::IntegerIn(0, i64::MAX), STRING])), ("mode", NUMBER_OR_STRING)],
                required: &[],
            }),
        ),
        ("image", Rule::Object(&Shape { keys: &[("subpath", STRING)], required: &[] })),
    ],
    required: &["type"],
};

// ---------------------------------------------------------------------------------------------
// Checking a tree against the rules.

fn dotted(path: &[String]) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        path.join(".")
    }
}

fn error(node: &Node, message: String) -> SchemaError {
    SchemaError { pos: node.at.clone(), message }
}

fn check(node: &Node, rule: &Rule, path: &mut Vec<String>) -> Result<(), SchemaError> {
    if !fits(node, rule) {
        return Err(error(node, format!("{} must be {}, not {}", dotted(path), join_or(&describe(rule)), node.type_name())));
    }
    match (rule, &node.value) {
        (Rule::IntegerIn(min, max), Value::Scalar(scalar)) => {
            if let ScalarKind::Int(n) = scalar.kind {
                if n < *min {
                    return Err(error(node, format!("{} must be at least {min}", dotted(path))));
                }
                if n > *max {
                    return Err(error(node, format!("{} must be at most {max}", dotted(path))));
                }
            }
        }
        (Rule::Word(words), Value::Scalar(scalar)) if !words.contains(&scalar.text.as_str()) => {
            let allowed: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            return Err(error(node, format!("{} must be one of {}", dotted(path), allowed.join(", "))));
        }
        (Rule::Text(syntax), Value::Scalar(scalar)) if !syntax.accepts(&scalar.text) => {
            return Err(error(node, format!("{} `{}` {}", dotted(path), scalar.text, syntax.explain())));
        }
        (Rule::List(item_rule, unique), Value::Seq(items)) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                check(item, item_rule, path)?;
                path.pop();
            }
            if *unique {
                let mut seen: HashMap<String, u32> = HashMap::new();
                for item in items {
                    if let Some(first_line) = seen.insert(canonical(item), item.at.line) {
                        return Err(error(
                            item,
                            format!("{} lists the same item twice (first at line {first_line})", dotted(path)),
                        ));
                    }
                }
            }
        }
        (Rule::Object(shape), Value::Map(entries)) => check_object(node, shape, entries, path)?,
        (Rule::Named(names, value_rule), Value::Map(entries)) => {
            for entry in entries {
                let name = entry.name();
                if !names.accepts(name) {
                    let message = format!("invalid key `{name}` in {} ({})", dotted(path), names.explain());
                    return Err(SchemaError { pos: entry.key.at.clone(), message });
                }
                path.push(name.to_string());
                check(&entry.value, value_rule, path)?;
                path.pop();
            }
        }
        (Rule::Either(alternatives), _) => check_either(node, alternatives, path)?,
        _ => {}
    }
    Ok(())
}

fn check_object(node: &Node, shape: &Shape, entries: &[crate::yaml::Entry], path: &mut Vec<String>) -> Result<(), SchemaError> {
    for required in shape.required {
        if !entries.iter().any(|e| e.name() == *required) {
            return Err(error(node, format!("{} is missing the required key `{required}`", dotted(path))));
        }
    }
    for entry in entries {
        let name = entry.name();
        if name.starts_with("x-") {
            continue;
        }
        let Some(rule) = shape.rule_for(name) else {
            return Err(SchemaError { pos: entry.key.at.clone(), message: unknown_key_message(path, name) });
        };
        path.push(name.to_string());
        check(&entry.value, rule, path)?;
        path.pop();
    }
    Ok(())
}

/// The first alternative that holds. When none does, the error of the first one whose type fits
/// the value is the useful one (`ports.0` is a mapping, so say what is wrong with it as a
/// mapping). `fits` already made sure one alternative's type fits.
fn check_either(node: &Node, alternatives: &[Rule], path: &mut Vec<String>) -> Result<(), SchemaError> {
    let mut first_error = None;
    for alternative in alternatives.iter().filter(|a| fits(node, a)) {
        match check(node, alternative, path) {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Err(error(
            node,
            format!("{} must be {}, not {}", dotted(path), join_or(&describe_all(alternatives)), node.type_name()),
        )),
    }
}

/// Whether the value has a type the rule accepts (its contents aside).
fn fits(node: &Node, rule: &Rule) -> bool {
    match (rule, &node.value) {
        (Rule::Any, _) => true,
        (Rule::Scalar(kinds), Value::Scalar(scalar)) => kinds.allows(scalar.kind),
        (Rule::IntegerIn(..), Value::Scalar(scalar)) => matches!(scalar.kind, ScalarKind::Int(_)),
        (Rule::Word(_) | Rule::Text(_), Value::Scalar(scalar)) => scalar.kind == ScalarKind::Str,
        (Rule::List(..), Value::Seq(_)) => true,
        (Rule::Object(_) | Rule::Named(..), Value::Map(_)) => true,
        (Rule::Either(alternatives), _) => alternatives.iter().any(|a| fits(node, a)),
        _ => false,
    }
}

/// What values a rule accepts, in words ("a string", "a list"...).
fn describe(rule: &Rule) -> Vec<String> {
    match rule {
        Rule::Any => vec!["anything".to_string()],
        Rule::Scalar(kinds) => kinds.describe(),
        Rule::IntegerIn(..) => vec!["an integer".to_string()],
        Rule::Word(_) | Rule::Text(_) => vec!["a string".to_string()],
        Rule::List(..) => vec!["a list".to_string()],
        Rule::Object(_) | Rule::Named(..) => vec!["a mapping".to_string()],
        Rule::Either(alternatives) => describe_all(alternatives),
    }
}

fn describe_all(rules: &[Rule]) -> Vec<String> {
    rules.iter().flat_map(describe).collect()
}

fn unknown_key_message(path: &[String], name: &str) -> String {
    let place = if path.is_empty() { "at the top level".to_string() } else { format!("in {}", path.join(".")) };
    format!("unknown key `{name}` {place} (docker compose rejects it; custom keys must start with `x-`)")
}

fn join_or(items: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    match unique.as_slice() {
        [] => "valid".to_string(),
        [one] => (*one).clone(),
        [rest @ .., last] => format!("{} or {last}", rest.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
    }
}

/// A string identifying a node's value, to find repeated items (type-tagged, so `80` and
/// `"80"` differ, as they do for compose).
fn canonical(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => match s.kind {
            ScalarKind::Str => format!("s:{}", s.text),
            ScalarKind::Null => "null".to_string(),
            ScalarKind::Bool(b) => format!("b:{b}"),
            ScalarKind::Int(i) => format!("n:{i}"),
            ScalarKind::Float => format!("n:{}", s.text.parse::<f64>().map_or(s.text.clone(), |f| f.to_string())),
        },
        Value::Seq(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Map(entries) => {
            let mut parts: Vec<String> = entries.iter().map(|e| format!("{}={}", e.name(), canonical(&e.value))).collect();
            parts.sort();
            format!("{{{}}}", parts.join(","))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Questions about the tables, for the tests that keep them and the loader in step.

/// Whether a dotted path pattern such as `services.*.ports.[].target` names a place the tables
/// describe (`*` and `[]` stand for any name or list item).
#[cfg(test)]
pub(crate) fn describes(pattern: &str) -> bool {
    fn walk(rule: &Rule, segments: &[&str]) -> bool {
        let Some((first, rest)) = segments.split_first() else { return true };
        match rule {
            Rule::Any => true,
            Rule::Either(alternatives) => alternatives.iter().any(|a| walk(a, segments)),
            Rule::List(item, _) => matches!(*first, "*" | "[]") && walk(item, rest),
            Rule::Named(_, value) => *first != "[]" && walk(value, rest),
            Rule::Object(shape) => shape.rule_for(first).is_some_and(|value| walk(value, rest)),
            _ => false,
        }
    }
    let segments: Vec<&str> = pattern.split('.').collect();
    walk(&FILE, &segments)
}

/// Every key some object of the format knows.
#[cfg(test)]
pub(crate) fn all_keys() -> std::collections::BTreeSet<&'static str> {
    fn walk(rule: &'static Rule, keys: &mut std::collections::BTreeSet<&'static str>) {
        match rule {
            Rule::List(item, _) | Rule::Named(_, item) => walk(item, keys),
            Rule::Either(alternatives) => alternatives.iter().for_each(|a| walk(a, keys)),
            Rule::Object(shape) => {
                for (name, value) in shape.keys {
                    keys.insert(name);
                    walk(value, keys);
                }
            }
            _ => {}
        }
    }
    let mut keys = std::collections::BTreeSet::new();
    walk(&FILE, &mut keys);
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, YamlLimits};
    use std::sync::Arc;

    fn check(text: &str) -> Result<(), SchemaError> {
        let docs = parse(text, &Arc::from("c.yaml"), YamlLimits::default()).expect("valid YAML");
        validate(&docs[0])
    }

    fn rejected(text: &str) -> SchemaError {
        match check(text) {
            Ok(()) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn accepts_a_plain_file() {
        check("services:\n  web:\n    image: nginx\n    ports: ['80:80', 443, {target: 80, published: '8080'}]\n    x-custom: 1\nx-top: {}\n")
            .expect("valid");
    }

    #[test]
    fn accepts_the_modern_format() {
        let text = "\
name: demo
include:
  - other.yaml
  - path: [a.yaml, b.yaml]
    project_directory: ..
models:
  llm: {model: ai/smollm2, context_size: 4096}
services:
  web:
    image: nginx
    gpus: all
    models: [llm]
    use_api_socket: true
    develop:
      watch:
        - {path: ./src, action: sync+restart, target: /app, ignore: [node_modules]}
    deploy:
      resources:
        limits: {cpus: '0.5', memory: 512M, pids: 100}
        reservations:
          devices: [{capabilities: [gpu], count: all}]
      restart_policy: {condition: on-failure, max_attempts: 3}
      update_config: {parallelism: 2, order: start-first}
      placement: {constraints: ['node.role == manager'], preferences: [{spread: node.labels.zone}]}
    healthcheck: {test: [CMD, 'true'], interval: 10s, retries: 3}
    logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}
    networks:
      front: {aliases: [web], ipv4_address: 10.0.0.2, x-note: 1}
      back:
    volumes:
      - type: bind
        source: ./data
        target: /data
        bind: {propagation: rshared, create_host_path: true, selinux: z}
      - {type: tmpfs, target: /tmp, tmpfs: {size: 1000, mode: 1777}}
      - {type: image, source: alpine, target: /img, image: {subpath: etc}}
    depends_on:
      db: {condition: service_healthy, restart: true, required: false}
    extends: {service: base, file: base.yaml}
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
    blkio_config: {weight: 300, device_read_bps: [{path: /dev/sda, rate: 1mb}]}
    credential_spec: {config: my-spec}
    extra_hosts: {db: [10.0.0.1, '::1']}
    environment: {A: 1, B: true, C: null, D: text}
    secrets: [token, {source: cert, target: /c, mode: 0400}]
    post_start: [{command: [echo, hi], user: root}]
  db:
    provider: {type: awesomecloud, options: {size: 3, tags: [a, b]}}
networks:
  front:
    ipam: {driver: default, config: [{subnet: 10.0.0.0/24, aux_addresses: {host1: 10.0.0.5}}]}
  back:
volumes:
  data: {external: true}
  old: {external: {name: legacy}}
secrets:
  token: {environment: TOKEN}
configs:
  app: {content: hello}
";
        check(text).expect("valid modern file");
    }

    #[test]
    fn unknown_keys_are_rejected_at_the_key_at_every_depth() {
        let err = rejected("services:\n  web:\n    image: nginx\n    privilegd: true\n");
        assert_eq!((err.pos.line, err.pos.column), (4, 5));
        assert!(err.message.contains("`privilegd`") && err.message.contains("services.web"), "{}", err.message);
        let err = rejected("servics: {}\n");
        assert!(err.message.contains("top level"), "{}", err.message);
        let deep = [
            (
                "services:\n  web:\n    deploy:\n      resources:\n        limits: {cpu: 1}\n",
                "services.web.deploy.resources.limits",
                (5, 18),
            ),
            ("services:\n  web:\n    healthcheck:\n      intervall: 5s\n", "services.web.healthcheck", (4, 7)),
            ("services:\n  web:\n    build:\n      context: .\n      dockerfil: x\n", "services.web.build", (5, 7)),
            (
                "services:\n  web:\n    volumes:\n      - {type: bind, source: a, target: b, bind: {propagate: shared}}\n",
                "services.web.volumes.0.bind",
                (4, 51),
            ),
            ("services:\n  web:\n    networks:\n      front: {alias: [a]}\n", "services.web.networks.front", (4, 15)),
            (
                "networks:\n  front:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/8\n          gw: 10.0.0.1\n",
                "networks.front.ipam.config.0",
                (6, 11),
            ),
            ("include:\n  - paths: a.yaml\n", "include.0", (2, 5)),
        ];
        for (text, place, (line, column)) in deep {
            let err = rejected(text);
            assert!(
                err.message.starts_with("unknown key") && err.message.contains(&format!("in {place} ")),
                "{text}: {}",
                err.message
            );
            assert_eq!((err.pos.line, err.pos.column), (line, column), "{text}: {}", err.message);
        }
    }

    #[test]
    fn extension_keys_are_allowed_in_every_object() {
        check("x-a: 1\nservices:\n  web:\n    image: x\n    x-b: 1\n    deploy: {x-c: 1, resources: {x-d: 1, limits: {x-e: 1}}}\n    build: {context: ., x-f: [1]}\n")
            .expect("extensions");
    }

    #[test]
    fn wrong_types_name_the_path_and_position() {
        let err = rejected("services:\n  web:\n    image: nginx\n    ports:\n      http: 80\n");
        assert_eq!(err.pos.line, 5);
        assert!(err.message.starts_with("services.web.ports must be a list"), "{}", err.message);
        let err = rejected("services:\n  web:\n    image: [nginx]\n");
        assert!(err.message.contains("services.web.image must be a string"), "{}", err.message);
        let cases = [
            (
                "services:\n  web:\n    privileged: [true]\n",
                "services.web.privileged must be a string or a boolean, not a list",
                3,
            ),
            (
                "services:\n  web:\n    environment: 3\n",
                "services.web.environment must be a mapping or a list, not an integer",
                3,
            ),
            (
                "services:\n  web:\n    environment: {A: [1]}\n",
                "services.web.environment.A must be a string, a number, a boolean or null, not a list",
                3,
            ),
            (
                "services:\n  web:\n    deploy:\n      replicas: 1.5\n",
                "services.web.deploy.replicas must be a string or an integer, not a number",
                4,
            ),
            (
                "services:\n  web:\n    healthcheck:\n      test: {cmd: x}\n",
                "services.web.healthcheck.test must be a string or a list, not a mapping",
                4,
            ),
            ("services:\n  web:\n    command: [echo, [1]]\n", "services.web.command.1 must be a string, not a list", 3),
            (
                "services:\n  web:\n    ulimits:\n      nofile: [1]\n",
                "services.web.ulimits.nofile must be a string, an integer or a mapping, not a list",
                4,
            ),
            ("services:\n  web:\n    use_api_socket: 'yes'\n", "services.web.use_api_socket must be a boolean, not a string", 3),
            ("services:\n  web:\n", "services.web must be a mapping, not null", 2),
            ("networks:\n  front: [a]\n", "networks.front must be a mapping or null, not a list", 2),
            (
                "services:\n  web:\n    volumes:\n      - {type: volume, source: a, target: /b, volume: {nocopy: [x]}}\n",
                "services.web.volumes.0.volume.nocopy must be a string or a boolean, not a list",
                4,
            ),
        ];
        for (text, message, line) in cases {
            let err = rejected(text);
            assert_eq!(err.message, message, "{text}");
            assert_eq!(err.pos.line, line, "{text}");
        }
    }

    #[test]
    fn alternatives_report_the_one_that_fits() {
        let err = rejected("services:\n  web:\n    image: nginx\n    ports:\n      - {target: 80, publishd: 8080}\n");
        assert!(err.message.contains("unknown key `publishd` in services.web.ports.0"), "{}", err.message);
        assert_eq!((err.pos.line, err.pos.column), (5, 22));
        let err = rejected("services:\n  web:\n    image: nginx\n    extends: {file: other.yml}\n");
        assert!(err.message.contains("required key `service`"), "{}", err.message);
        let err = rejected("services:\n  web:\n    image: x\n    oom_score_adj: -2000\n");
        assert_eq!(err.message, "services.web.oom_score_adj must be at least -1000");
    }

    #[test]
    fn names_words_and_duplicates() {
        let err = rejected("services:\n  web:\n    image: x\n    cgroup: shared\n");
        assert!(err.message.contains("\"host\""), "{}", err.message);
        let err = rejected("services:\n  web:\n    image: x\n    cap_add: [NET_ADMIN, NET_ADMIN]\n");
        assert!(err.message.contains("same item twice (first at line 4)"), "{}", err.message);
        let err = rejected("services:\n  my web:\n    image: x\n");
        assert_eq!((err.pos.line, err.pos.column), (2, 3));
        assert!(err.message.contains("`my web`"), "{}", err.message);
        let err = rejected("services:\n  web:\n    image: x\n    pull_policy: sometimes\n");
        assert!(err.message.contains("`sometimes` is not a pull policy"), "{}", err.message);
        check("services:\n  web:\n    image: x\n    pull_policy: every_12h\n").expect("every_ duration");
        let err = rejected("services:\n  web:\n    image: x\n    container_name: '-'\n");
        assert!(err.message.contains("not a valid container name"), "{}", err.message);
    }

    #[test]
    fn the_tables_describe_every_path_the_loader_treats_specially() {
        let patterns = (crate::loader::CASTS.iter().map(|(path, _)| *path))
            .chain(crate::merge::SPECIALS.iter().map(|(path, _)| *path))
            .chain(crate::merge::INDEXERS.iter().map(|(path, _)| *path));
        // merge.rs mirrors compose's merge, whose table names `build.platform` although the
        // format's key is `platforms`; that entry never matches anything.
        let mirrored_dead_entry = "services.*.build.platform";
        let missing: Vec<&str> = patterns.filter(|p| *p != mirrored_dead_entry && !describes(p)).collect();
        assert!(missing.is_empty(), "paths the loader uses but the schema tables do not describe: {missing:?}");
        // The check itself can fail.
        assert!(!describes("services.*.privilegd") && !describes("services.*.ports.[].publishd"));
    }

    #[test]
    fn the_tables_know_every_key_the_conversion_reads() {
        let known = all_keys();
        let (mut missing, mut read) = (Vec::new(), 0);
        for (file, source) in [
            ("convert.rs", include_str!("convert.rs")),
            ("loader.rs", include_str!("loader.rs")),
            ("merge.rs", include_str!("merge.rs")),
        ] {
            // The code before its unit tests: the keys the loader itself reads.
            let code = source.split("#[cfg(test)]").next().unwrap_or(source);
            for key in quoted_after(code, &[".get(\"", ".get_entry(\"", ".get_mut(\"", "field(\""]) {
                read += 1;
                if !known.contains(key) {
                    missing.push(format!("{file}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "keys read by the loader but unknown to the schema tables: {missing:?}");
        assert!(read > 50, "the scan of the loader's source found only {read} keys: has the code changed its accessors?");
        assert!(known.contains("image") && known.contains("propagation") && !known.contains("privilegd"));
    }

    /// The string literals that follow any of `openers` in `code`.
    fn quoted_after<'a>(code: &'a str, openers: &[&str]) -> Vec<&'a str> {
        let mut found = Vec::new();
        for opener in openers {
            for (at, _) in code.match_indices(opener) {
                let rest = &code[at + opener.len()..];
                if let Some(end) = rest.find('"') {
                    found.push(&rest[..end]);
                }
            }
        }
        found
    }
}
