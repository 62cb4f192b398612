//! Whether to colour the terminal report, by the conventions tools share: `NO_COLOR`
//! (no-color.org), `CLICOLOR` and `CLICOLOR_FORCE` (bixense.com/clicolors) and `TERM=dumb`.

/// Decides colour from the environment (`var` looks a variable up) and whether the report goes
/// to a terminal. A non-empty `NO_COLOR` always wins; then a `CLICOLOR_FORCE` other than `0`
/// turns colour on even into a pipe or file; otherwise colour needs a terminal that is not
/// `TERM=dumb`, and `CLICOLOR=0` turns it off there. The order is anstream's, so rampart agrees
/// with the other Rust tools on one machine.
pub fn use_color(var: impl Fn(&str) -> Option<String>, to_terminal: bool) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    let set_to_zero = |name: &str| var(name).is_some_and(|v| v == "0");
    if set("NO_COLOR") {
        false
    } else if set("CLICOLOR_FORCE") && !set_to_zero("CLICOLOR_FORCE") {
        true
    } else {
        to_terminal && !set_to_zero("CLICOLOR") && var("TERM").is_none_or(|term| term != "dumb")
    }
}

/// [`use_color`] over the process environment.
pub fn use_color_from_env(to_terminal: bool) -> bool {
    use_color(|name| std::env::var(name).ok(), to_terminal)
}

#[cfg(test)]
mod tests {
    use super::use_color;

    fn with(vars: &[(&str, &str)], to_terminal: bool) -> bool {
        use_color(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()), to_terminal)
    }

    #[test]
    fn terminal_decides_by_default() {
        assert!(with(&[], true));
        assert!(!with(&[], false));
        assert!(!with(&[("TERM", "dumb")], true));
        assert!(with(&[("TERM", "xterm-256color")], true));
    }

    #[test]
    fn no_color_wins() {
        assert!(!with(&[("NO_COLOR", "1")], true));
        assert!(!with(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], true));
        // An empty NO_COLOR is the same as unset.
        assert!(with(&[("NO_COLOR", "")], true));
    }

    #[test]
    fn clicolor_conventions() {
        assert!(with(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!with(&[("CLICOLOR_FORCE", "0")], false));
        assert!(!with(&[("CLICOLOR", "0")], true));
        assert!(!with(&[("CLICOLOR", "1")], false), "CLICOLOR alone never colours a pipe");
    }
}
