//! XML escaping for the JUnit report. Findings carry attacker-controlled text (paths, Dockerfile
//! lines), so every string goes through here before it reaches the document.

/// XML 1.0 cannot carry most C0 control characters even as character references, so they are
/// replaced with U+FFFD rather than dropped silently.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes character data (element content).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            // `>` only matters in `]]>`, but escaping it always is simpler to reason about.
            '>' => out.push_str("&gt;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Escapes an attribute value for use between double quotes. Newlines and tabs become character
/// references, because parsers normalise literal ones in attributes to spaces.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(text("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(text("]]><x/>"), "]]&gt;&lt;x/&gt;");
        assert_eq!(attr("say \"hi\" & 'bye'\n"), "say &quot;hi&quot; &amp; &apos;bye&apos;&#10;");
        assert_eq!(text("bell\u{7}esc\u{1b}nul\0"), "bell\u{FFFD}esc\u{FFFD}nul\u{FFFD}");
        assert_eq!(attr("\u{FFFE}"), "\u{FFFD}");
        assert_eq!(text("ünïcode ✓ 🐳"), "ünïcode ✓ 🐳");
    }
}
