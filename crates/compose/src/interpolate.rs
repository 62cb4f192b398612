//! Compose's variable substitution: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:?error}`, `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`, and `$$` for a
//! literal `$`. Defaults, alternatives and messages may themselves contain references.
//! An unset variable without a default becomes the empty string (compose warns), and `$`
//! followed by anything that is not a name or `{` stays as written.

use std::collections::HashMap;

/// Where variable values come from.
pub trait Lookup {
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl Lookup for HashMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// Why a string could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolationError {
    /// `${` without a matching `}`, or `${...}` that is not a name and an operator.
    Invalid { template: String },
    /// `${VAR:?message}` / `${VAR?message}` with the variable unset (or empty for `:?`).
    Required { name: String, message: String },
}

impl std::fmt::Display for InterpolationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InterpolationError::Invalid { template } => {
                write!(f, "invalid interpolation format `{template}` (write `$$` for a literal `$`)")
            }
            InterpolationError::Required { name, message } if message.is_empty() => {
                write!(f, "required variable {name} is missing a value")
            }
            InterpolationError::Required { name, message } => {
                write!(f, "required variable {name} is missing a value: {message}")
            }
        }
    }
}

/// The result of substituting one string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Substituted {
    pub text: String,
    /// At least one variable was referenced (so the value does not come from the file alone).
    pub referenced: bool,
    /// Variables that were unset and replaced by an empty string, in order.
    pub unset: Vec<String>,
}

/// Substitutes every reference in `template`.
pub fn substitute(template: &str, env: &dyn Lookup) -> Result<Substituted, InterpolationError> {
    let mut out = Substituted::default();
    substitute_into(template, env, &mut out, 0)?;
    Ok(out)
}

/// Nested defaults deeper than this are refused (they only come from hostile input).
const MAX_DEPTH: usize = 32;

fn substitute_into(template: &str, env: &dyn Lookup, out: &mut Substituted, depth: usize) -> Result<(), InterpolationError> {
    if depth > MAX_DEPTH {
        return Err(InterpolationError::Invalid { template: template.to_string() });
    }
    let bytes = template.as_bytes();
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        out.text.push_str(&template[literal_start..i]);
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.text.push('$');
                i += 2;
            }
            Some(b'{') => {
                let close = closing_brace(bytes, i + 2)
                    .ok_or_else(|| InterpolationError::Invalid { template: template.to_string() })?;
                let body = &template[i + 2..close];
                expand_braced(body, env, out, depth).map_err(|e| match e {
                    InterpolationError::Invalid { .. } => InterpolationError::Invalid { template: template.to_string() },
                    other => other,
                })?;
                i = close + 1;
            }
            Some(&c) if c == b'_' || c.is_ascii_alphabetic() => {
                let end = name_end(bytes, i + 1);
                let name = &template[i + 1..end];
                out.referenced = true;
                match env.lookup(name) {
                    Some(value) => out.text.push_str(value),
                    None => out.unset.push(name.to_string()),
                }
                i = end;
            }
            _ => {
                // Not a reference: compose leaves it as written.
                out.text.push('$');
                i += 1;
            }
        }
        literal_start = i;
    }
    out.text.push_str(&template[literal_start..]);
    Ok(())
}

/// The index of the `}` closing a `${` whose body starts at `start`, counting nested braces.
fn closing_brace(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 1usize;
    for (offset, &b) in bytes[start..].iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + offset);
                }
            }
            _ => {}
        }
    }
    None
}

fn name_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && (bytes[end] == b'_' || bytes[end].is_ascii_alphanumeric()) {
        end += 1;
    }
    end
}

/// `NAME`, `NAME:-x`, `NAME-x`, `NAME:?x`, `NAME?x`, `NAME:+x`, `NAME+x`.
fn expand_braced(body: &str, env: &dyn Lookup, out: &mut Substituted, depth: usize) -> Result<(), InterpolationError> {
    let bytes = body.as_bytes();
    let invalid = || InterpolationError::Invalid { template: body.to_string() };
    if !bytes.first().is_some_and(|&c| c == b'_' || c.is_ascii_alphabetic()) {
        return Err(invalid());
    }
    let end = name_end(bytes, 0);
    let name = &body[..end];
    let rest = &body[end..];
    out.referenced = true;
    let value = env.lookup(name);
    let (colon, rest) = match rest.strip_prefix(':') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let Some(operator) = rest.chars().next() else {
        if colon {
            return Err(invalid());
        }
        match value {
            Some(v) => out.text.push_str(v),
            None => out.unset.push(name.to_string()),
        }
        return Ok(());
    };
    let argument = &rest[operator.len_utf8()..];
    // `:` tests "unset or empty", its absence only "unset".
    let missing = match value {
        None => true,
        Some(v) => colon && v.is_empty(),
    };
    match operator {
        '-' => {
            if missing {
                substitute_into(argument, env, out, depth + 1)?;
            } else {
                out.text.push_str(value.unwrap_or_default());
            }
        }
        '+' => {
            if !missing {
                substitute_into(argument, env, out, depth + 1)?;
            } else {
                out.text.push_str(value.unwrap_or_default());
            }
        }
        '?' => {
            if missing {
                let mut message = Substituted::default();
                substitute_into(argument, env, &mut message, depth + 1)?;
                return Err(InterpolationError::Required { name: name.to_string(), message: message.text });
            }
            out.text.push_str(value.unwrap_or_default());
        }
        _ => return Err(invalid()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> HashMap<String, String> {
        [("SET", "value"), ("EMPTY", ""), ("PORT", "8080")].into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn sub(text: &str) -> String {
        substitute(text, &env()).expect("valid").text
    }

    #[test]
    fn plain_and_braced_references() {
        assert_eq!(sub("$SET and ${SET}"), "value and value");
        assert_eq!(sub("${PORT}:80"), "8080:80");
        assert_eq!(sub("$SET-suffix"), "value-suffix");
        assert_eq!(sub("${SET}suffix"), "valuesuffix");
    }

    #[test]
    fn defaults_distinguish_unset_from_empty() {
        assert_eq!(sub("${UNSET:-d}|${EMPTY:-d}|${SET:-d}"), "d|d|value");
        assert_eq!(sub("${UNSET-d}|${EMPTY-d}|${SET-d}"), "d||value");
    }

    #[test]
    fn alternatives_apply_only_when_set() {
        assert_eq!(sub("${UNSET:+a}|${EMPTY:+a}|${SET:+a}"), "||a");
        assert_eq!(sub("${UNSET+a}|${EMPTY+a}|${SET+a}"), "|a|a");
    }

    #[test]
    fn required_variables_fail_with_their_message() {
        let err = substitute("${UNSET:?set it please}", &env()).expect_err("required");
        assert_eq!(err, InterpolationError::Required { name: "UNSET".into(), message: "set it please".into() });
        assert!(substitute("${EMPTY:?x}", &env()).is_err());
        assert_eq!(sub("${EMPTY?x}"), "");
        assert!(substitute("${UNSET?}", &env()).is_err());
        assert_eq!(sub("${SET:?x}"), "value");
    }

    #[test]
    fn nested_defaults_are_expanded() {
        assert_eq!(sub("${UNSET:-${SET}}"), "value");
        assert_eq!(sub("${UNSET:-${ALSO_UNSET:-deep}}"), "deep");
        assert_eq!(sub("${UNSET:-{literal}}"), "{literal}");
    }

    #[test]
    fn dollar_dollar_is_a_literal_dollar() {
        let result = substitute("$$SET and $${SET}", &env()).expect("valid");
        assert_eq!(result.text, "$SET and ${SET}");
        assert!(!result.referenced);
    }

    #[test]
    fn a_dollar_before_anything_else_stays() {
        assert_eq!(sub("cost: 5$ or $1 or $"), "cost: 5$ or $1 or $");
    }

    #[test]
    fn unset_variables_become_empty_and_are_reported() {
        let result = substitute("a${UNSET}b$OTHER", &env()).expect("valid");
        assert_eq!(result.text, "ab");
        assert_eq!(result.unset, ["UNSET", "OTHER"]);
        assert!(result.referenced);
    }

    #[test]
    fn malformed_references_are_errors() {
        for bad in ["${", "${SET", "${}", "${1A}", "${SET:}", "${SET*x}", "${ SET}", "${SET٬x}", "${SET:٬}"] {
            assert!(matches!(substitute(bad, &env()), Err(InterpolationError::Invalid { .. })), "{bad}");
        }
    }
}
