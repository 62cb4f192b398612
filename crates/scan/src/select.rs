//! Turning the rule identifiers users write (in ignore comments, `rampart.toml` and `--ignore`)
//! into rule codes. One place, so every front end accepts the same spellings: a rule's code,
//! its kebab-case name, or a peer's ID it is aliased to (`DL3008`, `CKV_DOCKER_3`).

use rampart_rules::RULES;

/// The codes of every rule that `id` names. Empty when no rule does. A peer ID can name
/// several rules when rampart splits one of the peer's checks in two.
pub fn rules_named(id: &str) -> Vec<&'static str> {
    RULES.iter().filter(|rule| rule.meta.is_named(id)).map(|rule| rule.meta.code).collect()
}

/// A rule identifier as the user wrote it, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSelector {
    pub written: String,
    /// Codes of the rules it names; empty when it names none (the user is told with a notice).
    pub codes: Vec<&'static str>,
}

impl RuleSelector {
    pub fn new(written: &str) -> RuleSelector {
        RuleSelector { written: written.to_string(), codes: rules_named(written) }
    }

    pub fn is_known(&self) -> bool {
        !self.codes.is_empty()
    }

    pub fn matches(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_name_and_alias_all_name_the_same_rule() {
        // DKF001 (sudo-in-run) is the rule the skeleton ships with; it is aliased to DL3004.
        for id in ["DKF001", "dkf001", "sudo-in-run", "DL3004", "dl3004"] {
            assert_eq!(rules_named(id), vec!["DKF001"], "{id}");
        }
        assert!(rules_named("DL9999").is_empty());
        assert!(!RuleSelector::new("nonsense").is_known());
    }
}
