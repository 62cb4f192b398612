//! Every Dockerfile syntax BuildKit accepts that issue 2 lists, with spans checked against the
//! source.

mod common;

use common::{parse_ok, runs, text_at};
use rampart_dockerfile::{BaseRef, CommandForm, Kind};

#[test]
fn directives_syntax_and_escape_backtick() {
    let df = parse_ok("# syntax=docker/dockerfile:1.7\n# escape=`\nFROM windows\nRUN dir c:\\ `\n    && echo done\n");
    assert_eq!(df.escape, '`');
    let syntax = df.syntax.as_ref().expect("syntax directive");
    assert_eq!(syntax.value, "docker/dockerfile:1.7");
    assert_eq!(text_at(&df, syntax.span), "docker/dockerfile:1.7");
    assert!(df.comments.is_empty(), "directives are not comments: {:?}", df.comments);
    let (_, run) = runs(&df)[0];
    let CommandForm::Shell(text) = &run.command else { panic!("shell form") };
    // The backtick joins the lines; the backslash is an ordinary character.
    assert_eq!(text.text, "dir c:\\     && echo done");
}

#[test]
fn directive_after_a_comment_is_a_comment() {
    let df = parse_ok("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n");
    assert_eq!(df.escape, '\\');
    let texts: Vec<&str> = df.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["hello", "escape=`"]);
}

#[test]
fn continuations_and_comments_inside_them() {
    let src = "FROM debian\n# top comment\nRUN apt-get update && \\\n    # explain the next line\n\n    apt-get install -y \\\n      curl\n";
    let df = parse_ok(src);
    let lines: Vec<(u32, &str)> = df.comments.iter().map(|c| (c.line, c.text.as_str())).collect();
    assert_eq!(lines, [(2, "top comment"), (4, "explain the next line")]);
    let (instruction, run) = runs(&df)[0];
    assert_eq!(instruction.line, 3);
    assert_eq!(df.line_col(instruction.span.end), (7, 11));
    let CommandForm::Shell(text) = &run.command else { panic!("shell form") };
    assert_eq!(text.text, "apt-get update &&     apt-get install -y       curl");
    // Every byte maps back to the same byte in the source.
    for (i, byte) in text.text.bytes().enumerate() {
        assert_eq!(df.source.as_bytes()[text.source_offset(i) as usize], byte, "byte {i}");
    }
    let curl = text.text.find("curl").unwrap();
    assert_eq!(df.line_col(text.source_offset(curl)), (7, 7));
}

#[test]
fn json_and_shell_forms() {
    let df = parse_ok(
        "FROM x\nRUN [\"apt-get\", \"install\", \"-y\", \"a b\"]\nCMD echo hi\nENTRYPOINT [\"/bin/tini\", \"--\"]\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost\"]\nHEALTHCHECK NONE\nCMD [ \"not json\" extra\n",
    );
    let kinds: Vec<&Kind> = df.instructions.iter().map(|i| &i.kind).collect();
    let Kind::Run(run) = kinds[1] else { panic!() };
    let CommandForm::Exec(words) = &run.command else { panic!("exec form") };
    let values: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(values, ["apt-get", "install", "-y", "a b"]);
    assert_eq!(text_at(&df, words[3].span), "a b");
    assert!(run.script.is_none(), "exec form without a shell has no script");
    assert!(matches!(kinds[2], Kind::Cmd(CommandForm::Shell(t)) if t.text == "echo hi"));
    assert!(matches!(kinds[3], Kind::Entrypoint(CommandForm::Exec(w)) if w.len() == 2));
    assert!(matches!(kinds[4], Kind::Healthcheck(Some(CommandForm::Exec(w))) if w[0].value == "curl"));
    assert_eq!(df.instructions[4].flags[0].name, "interval");
    assert!(matches!(kinds[5], Kind::Healthcheck(None)));
    // Invalid JSON falls back to shell form, as in BuildKit.
    assert!(matches!(kinds[6], Kind::Cmd(CommandForm::Shell(t)) if t.text == "[ \"not json\" extra"));
}

#[test]
fn heredocs_all_forms() {
    let src = "FROM x\n\
RUN <<EOF\n\
apt-get update\n\
EOF\n\
RUN <<-EOT bash -e\n\
\tindented\n\
\tEOT\n\
RUN cat <<'QUOTED' > /a && cat <<\"DQ\" > /b\n\
$HOME stays\n\
QUOTED\n\
second\n\
DQ\n\
COPY <<one.txt <<two.txt /dest/\n\
1\n\
one.txt\n\
2\n\
two.txt\n\
RUN echo right after the terminator\n";
    let df = parse_ok(src);
    let keywords: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
    assert_eq!(keywords, ["FROM", "RUN", "RUN", "RUN", "COPY", "RUN"]);
    let all = runs(&df);
    let first = &all[0].1.heredocs;
    assert_eq!((first[0].delimiter.as_str(), first[0].body.as_str(), first[0].quoted), ("EOF", "apt-get update\n", false));
    assert_eq!(text_at(&df, first[0].span), "apt-get update\n");
    let strip = &all[1].1.heredocs[0];
    assert!(strip.strip_tabs);
    assert_eq!(strip.body, "indented\n");
    let two = &all[2].1.heredocs;
    assert_eq!(two.len(), 2);
    assert_eq!((two[0].delimiter.as_str(), two[0].quoted, two[0].body.as_str()), ("QUOTED", true, "$HOME stays\n"));
    assert_eq!((two[1].delimiter.as_str(), two[1].quoted, two[1].body.as_str()), ("DQ", true, "second\n"));
    let Kind::Copy(copy) = &df.instructions[4].kind else { panic!() };
    assert!(copy.sources.is_empty());
    let bodies: Vec<(&str, &str)> = copy.heredocs.iter().map(|h| (h.delimiter.as_str(), h.body.as_str())).collect();
    assert_eq!(bodies, [("one.txt", "1\n"), ("two.txt", "2\n")]);
    assert_eq!(copy.dest.value, "/dest/");
    assert_eq!(df.instructions[5].line, 18);
    // A heredoc instruction's span ends at its last terminator.
    assert_eq!(text_at(&df, df.instructions[1].span), "RUN <<EOF\napt-get update\nEOF");
    // Heredoc bodies are not comments, even when they look like one.
    let df = parse_ok("FROM x\nRUN <<EOF\n# not a comment\nEOF\n# a comment\n");
    let texts: Vec<&str> = df.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["a comment"]);
}

#[test]
fn heredoc_at_end_of_file_without_newline() {
    let df = parse_ok("FROM x\nRUN <<EOF\necho hi\nEOF");
    let (_, run) = runs(&df)[0];
    assert_eq!(run.heredocs[0].body, "echo hi\n");
}

#[test]
fn heredoc_marker_inside_quotes_or_json_is_not_a_heredoc() {
    let df = parse_ok("FROM x\nRUN echo '<<EOF'\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\nRUN echo $((1 << 2))\n");
    assert!(runs(&df).iter().all(|(_, run)| run.heredocs.is_empty()));
}

#[test]
fn run_flags_mount_network_security() {
    let df = parse_ok(
        "FROM x\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=secret,id=npmrc,target=/root/.npmrc \\\n    --mount=from=builder,source=/out,target=/in,ro \\\n    --network=none --security=insecure make\n",
    );
    let (instruction, run) = runs(&df)[0];
    let kinds: Vec<(&str, Option<&str>)> = run.mounts.iter().map(|m| (m.kind.as_str(), m.target.as_deref())).collect();
    assert_eq!(kinds, [("cache", Some("/var/cache/apt")), ("secret", Some("/root/.npmrc")), ("bind", Some("/in"))]);
    assert!(run.mounts[1].options.contains(&("id".to_string(), "npmrc".to_string())));
    assert!(run.mounts[2].options.contains(&("ro".to_string(), String::new())));
    assert_eq!(text_at(&df, run.mounts[1].span), "--mount=type=secret,id=npmrc,target=/root/.npmrc");
    assert_eq!(run.network.as_deref(), Some("none"));
    assert_eq!(run.security.as_deref(), Some("insecure"));
    assert_eq!(instruction.flags.len(), 5);
    let CommandForm::Shell(text) = &run.command else { panic!() };
    assert_eq!(text.text, "make");
}

#[test]
fn copy_and_add_flags() {
    let df = parse_ok(
        "FROM x\nCOPY --from=builder --chown=app:app --chmod=0755 --link --parents src/ lib/ /app/\nADD --checksum=sha256:abc https://example.invalid/a.tgz /tmp/\nCOPY --link=false a b\nCOPY [\"with space\", \"/dst\"]\n",
    );
    let Kind::Copy(copy) = &df.instructions[1].kind else { panic!() };
    assert_eq!(copy.from.as_ref().map(|w| w.value.as_str()), Some("builder"));
    assert_eq!(text_at(&df, copy.from.as_ref().unwrap().span), "builder");
    assert_eq!(copy.chown.as_deref(), Some("app:app"));
    assert_eq!(copy.chmod.as_deref(), Some("0755"));
    assert!(copy.link && copy.parents);
    let sources: Vec<&str> = copy.sources.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(sources, ["src/", "lib/"]);
    assert_eq!(copy.dest.value, "/app/");
    let Kind::Add(add) = &df.instructions[2].kind else { panic!() };
    assert_eq!(add.checksum.as_deref(), Some("sha256:abc"));
    assert_eq!(add.sources[0].value, "https://example.invalid/a.tgz");
    let Kind::Copy(unlinked) = &df.instructions[3].kind else { panic!() };
    assert!(!unlinked.link);
    let Kind::Copy(json) = &df.instructions[4].kind else { panic!() };
    assert_eq!(json.sources[0].value, "with space");
}

#[test]
fn from_platform_alias_and_arg_before_from() {
    let df = parse_ok(
        "ARG REGISTRY=registry.example.invalid:5000\nARG VERSION=1.2\nFROM --platform=$BUILDPLATFORM ${REGISTRY}/team/app:${VERSION}@sha256:0123 AS Build\nFROM scratch\nCOPY --from=build /out /\n",
    );
    assert_eq!(df.instructions[0].stage, None);
    let Kind::From { image, platform, alias } = &df.instructions[2].kind else { panic!() };
    assert_eq!(platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(image.value, "${REGISTRY}/team/app:${VERSION}@sha256:0123");
    assert_eq!(alias.as_ref().map(|a| a.value.as_str()), Some("Build"));
    let stage = &df.stages[0];
    assert_eq!(stage.name.as_ref().map(|n| n.value.as_str()), Some("build"));
    let BaseRef::Image(reference) = &stage.base else { panic!() };
    assert_eq!(reference.resolved.as_deref(), Some("registry.example.invalid:5000/team/app:1.2@sha256:0123"));
    assert_eq!(reference.registry.as_deref(), Some("registry.example.invalid:5000"));
    assert_eq!(reference.repository.as_deref(), Some("team/app"));
    assert_eq!(reference.tag.as_deref(), Some("1.2"));
    assert_eq!(reference.digest.as_deref(), Some("sha256:0123"));
    assert_eq!(df.stages[1].base, BaseRef::Scratch);
    assert_eq!(df.stage_by_ref("BUILD").map(|s| s.index), Some(0));
    assert_eq!(df.instructions[4].stage, Some(1));
}

#[test]
fn image_references_with_unknown_variables_stay_unresolved() {
    let df = parse_ok("ARG BASE\nARG TAG=3.19\nFROM ${BASE}:latest\nFROM alpine:${TAG:-edge}\nFROM alpine:${UNSET:-3.18}\nFROM alpine:${TAG:+pinned}\nFROM debian\n");
    let resolved: Vec<Option<&str>> = df
        .stages
        .iter()
        .map(|s| match &s.base {
            BaseRef::Image(r) => r.resolved.as_deref(),
            _ => Some("(not an image)"),
        })
        .collect();
    assert_eq!(resolved, [None, Some("alpine:3.19"), Some("alpine:3.18"), Some("alpine:pinned"), Some("debian")]);
    let BaseRef::Image(untagged) = &df.stages[4].base else { panic!() };
    assert_eq!((untagged.repository.as_deref(), untagged.tag.as_deref()), (Some("debian"), None));
    let BaseRef::Image(unknown) = &df.stages[0].base else { panic!() };
    assert_eq!(unknown.raw, "${BASE}:latest");
    assert_eq!(unknown.tag, None);
}

#[test]
fn multi_stage_references() {
    let df = parse_ok(
        "FROM golang:1.22 AS builder\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN go build\nFROM builder AS test\nRUN go test\nFROM alpine:3.19\nCOPY --from=builder /out /bin/\nCOPY --from=0 /x /y\nCOPY --from=nginx:latest /etc/nginx /etc/nginx\n",
    );
    assert_eq!(df.stages.len(), 3);
    assert_eq!(df.stages[1].base, BaseRef::Stage(0));
    // A stage built on another inherits its SHELL.
    let shells: Vec<&[String]> = runs(&df).iter().map(|(_, r)| r.shell.as_slice()).collect();
    assert_eq!(shells[0], ["/bin/bash", "-o", "pipefail", "-c"]);
    assert_eq!(shells[1], ["/bin/bash", "-o", "pipefail", "-c"]);
    let froms: Vec<Option<usize>> = df
        .instructions
        .iter()
        .filter_map(|i| match &i.kind {
            Kind::Copy(c) => c.from.as_ref().map(|f| df.stage_by_ref(&f.value).map(|s| s.index)),
            _ => None,
        })
        .collect();
    assert_eq!(froms, [Some(0), Some(0), None]);
    assert_eq!(df.stage_instructions(&df.stages[2]).len(), 3);
    assert_eq!(df.final_stage().map(|s| s.index), Some(2));
}

#[test]
fn env_label_arg_user_forms() {
    let df = parse_ok(
        "FROM x\nENV A=1 B=\"two words\" C='single $quoted' D=esc\\ aped\nENV LEGACY value with  spaces\nLABEL org.opencontainers.image.title=\"My app\" version=1\nARG ONE TWO=2 THREE=\"three 3\"\nUSER app:staff\nUSER 1000\nEXPOSE 22 2375/tcp\nWORKDIR \"/srv/my app\"\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /cache /tmp\nSTOPSIGNAL SIGTERM\nMAINTAINER someone\nONBUILD RUN make\n",
    );
    let kind = |i: usize| &df.instructions[i].kind;
    let Kind::Env(env) = kind(1) else { panic!() };
    let pairs: Vec<(&str, &str)> = env.iter().map(|kv| (kv.key.value.as_str(), kv.value.value.as_str())).collect();
    assert_eq!(pairs, [("A", "1"), ("B", "two words"), ("C", "single $quoted"), ("D", "esc aped")]);
    assert_eq!(text_at(&df, env[1].key.span), "B");
    assert_eq!(text_at(&df, env[1].value.span), "\"two words\"");
    let Kind::Env(legacy) = kind(2) else { panic!() };
    assert_eq!((legacy[0].key.value.as_str(), legacy[0].value.value.as_str()), ("LEGACY", "value with  spaces"));
    let Kind::Label(labels) = kind(3) else { panic!() };
    assert_eq!(labels[0].value.value, "My app");
    let Kind::Arg(args) = kind(4) else { panic!() };
    let decls: Vec<(&str, Option<&str>)> =
        args.iter().map(|a| (a.name.value.as_str(), a.default.as_ref().map(|d| d.value.as_str()))).collect();
    assert_eq!(decls, [("ONE", None), ("TWO", Some("2")), ("THREE", Some("three 3"))]);
    let Kind::User { user, group } = kind(5) else { panic!() };
    assert_eq!((user.value.as_str(), group.as_ref().map(|g| g.value.as_str())), ("app", Some("staff")));
    assert_eq!(text_at(&df, group.as_ref().unwrap().span), "staff");
    assert!(matches!(kind(6), Kind::User { user, group: None } if user.value == "1000"));
    assert!(matches!(kind(7), Kind::Expose(ports) if ports.len() == 2 && ports[1].value == "2375/tcp"));
    assert!(matches!(kind(8), Kind::Workdir(w) if w.value == "/srv/my app"));
    assert!(matches!(kind(9), Kind::Volume(v) if v.len() == 2 && v[0].value == "/data"));
    assert!(matches!(kind(10), Kind::Volume(v) if v.len() == 2 && v[1].value == "/tmp"));
    assert!(matches!(kind(11), Kind::Stopsignal(s) if s.value == "SIGTERM"));
    assert!(matches!(kind(12), Kind::Maintainer(m) if m.value == "someone"));
    let Kind::Onbuild(inner) = kind(13) else { panic!() };
    assert_eq!(inner.keyword, "RUN");
    assert_eq!(text_at(&df, inner.keyword_span), "RUN");
    let Kind::Run(run) = &inner.kind else { panic!() };
    assert_eq!(run.script.as_ref().map(|s| s.commands[0].program.value.as_str()), Some("make"));
}

#[test]
fn keywords_are_case_insensitive_and_spans_point_at_them() {
    let df = parse_ok("from alpine\n  run echo hi\n");
    assert_eq!(df.instructions[1].keyword, "RUN");
    assert_eq!(df.line_col(df.instructions[1].keyword_span.start), (2, 3));
    assert_eq!(df.line_text(2), Some("  run echo hi"));
}

#[test]
fn byte_order_mark_is_skipped() {
    let df = parse_ok("\u{feff}FROM alpine\nRUN echo\n");
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(text_at(&df, df.instructions[0].keyword_span), "FROM");
    assert_eq!(text_at(&df, df.instructions[1].span), "RUN echo");
}

#[test]
fn crlf_line_endings() {
    let df = parse_ok("FROM alpine\r\nRUN apk add \\\r\n    curl\r\n# done\r\n");
    let (_, run) = runs(&df)[0];
    let CommandForm::Shell(text) = &run.command else { panic!() };
    assert_eq!(text.text, "apk add     curl");
    assert_eq!(df.comments[0].text, "done");
    assert_eq!(df.comments[0].line, 4);
}

#[test]
fn continuation_at_end_of_file_parses_with_a_warning() {
    // BuildKit builds this (its parser test `continue-at-eof`); the warning says where.
    let df = parse_ok("FROM alpine:3.5\n\nRUN something \\");
    let (_, run) = runs(&df)[0];
    let CommandForm::Shell(text) = &run.command else { panic!() };
    assert_eq!(text.text.trim_end(), "something");
    assert_eq!(df.warnings.len(), 1);
    assert_eq!(df.warnings[0].line, 3);
    assert!(df.warnings[0].message.contains("end of file"), "{}", df.warnings[0].message);
    let with_newline = parse_ok("FROM alpine\nRUN a \\\n# trailing comment\n");
    assert_eq!(with_newline.warnings.len(), 1);
    assert!(parse_ok("FROM alpine\nRUN a\n").warnings.is_empty());
}

#[test]
fn whole_structure_snapshot() {
    let df = parse_ok(
        "# syntax=docker/dockerfile:1\n# rampart ignore=DKF001 reason=test\nARG BASE=debian:12\nFROM ${BASE} AS base\nENV PATH=/opt/bin:$PATH\nRUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n && apt-get install -y --no-install-recommends curl\nFROM base\nCOPY --from=base --chown=1000 /etc/passwd /tmp/\nUSER 1000\nCMD [\"/opt/bin/app\"]\n",
    );
    insta::assert_snapshot!(serde_json::to_string_pretty(&df).expect("serialises"));
}
