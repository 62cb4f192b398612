//! Queries over the images of an engine snapshot, shared by the IMG rules.

use rampart_model::ImageFacts;

/// How findings name an image: `image:<first tag>`, else `image:<short id>`.
pub fn image_object(image: &ImageFacts) -> String {
    match image.tags.iter().find(|tag| tag.as_str() != "<none>:<none>") {
        Some(tag) => format!("image:{tag}"),
        None => format!("image:{}", image.id.trim_start_matches("sha256:").get(..12).unwrap_or(&image.id)),
    }
}

/// The Dockerfile instruction a history step's CreatedBy records: `/bin/sh -c #(nop)  ADD ...`
/// is `ADD`; a plain `/bin/sh -c apt-get ...` (legacy builder) or `RUN |1 ...` is `RUN`.
pub fn history_instruction(created_by: &str) -> Option<&str> {
    let text = created_by.trim();
    if let Some(rest) = text.strip_prefix("/bin/sh -c #(nop)") {
        return rest.split_whitespace().next();
    }
    if text.starts_with("/bin/sh -c ") || text.starts_with("RUN ") || text.starts_with("|") {
        return Some("RUN");
    }
    // BuildKit records the instruction itself: `ADD file:... in /`, `COPY ...`, `ENV ...`.
    text.split_whitespace().next().filter(|word| word.chars().all(|c| c.is_ascii_uppercase()))
}

/// True when a RUN step's text runs `chmod` with a setuid or setgid mode.
pub fn adds_setuid(created_by: &str) -> bool {
    if history_instruction(created_by) != Some("RUN") {
        return false;
    }
    let words: Vec<&str> = created_by.split(|c: char| c.is_whitespace() || c == ';' || c == '&' || c == '|').collect();
    words.iter().enumerate().any(|(index, word)| {
        *word == "chmod"
            && words[index + 1..].iter().filter(|w| !w.is_empty()).find(|w| !w.starts_with('-')).is_some_and(|mode| setuid_mode(mode))
    })
}

/// `u+s`, `g+s`, `+s`, `ug+rs`, or an octal mode with the 4000 or 2000 bit (`4755`, `2755`, `6755`).
fn setuid_mode(mode: &str) -> bool {
    if mode.chars().all(|c| c.is_ascii_digit()) {
        return mode.len() == 4 && matches!(mode.as_bytes()[0], b'2' | b'4' | b'6');
    }
    mode.split(',').any(|clause| {
        let Some((who, perms)) = clause.split_once('+').or_else(|| clause.split_once('=')) else { return false };
        who.chars().all(|c| "ugoa".contains(c)) && perms.contains('s')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_steps_name_their_instruction() {
        assert_eq!(history_instruction("/bin/sh -c #(nop) ADD file:c664 in /usr/sbin/sshd "), Some("ADD"));
        assert_eq!(history_instruction("/bin/sh -c #(nop)  ENV A=b"), Some("ENV"));
        assert_eq!(history_instruction("/bin/sh -c chmod 4755 /bin/busybox"), Some("RUN"));
        assert_eq!(history_instruction("ADD file:abc in / # buildkit"), Some("ADD"));
        assert_eq!(history_instruction("/bin/busybox --install -s /bin"), None);
    }

    #[test]
    fn setuid_modes_in_chmod() {
        assert!(adds_setuid("/bin/sh -c chmod 4755 /bin/busybox"));
        assert!(adds_setuid("/bin/sh -c apt-get update && chmod -R u+s /usr/bin/helper"));
        assert!(adds_setuid("RUN /bin/sh -c chmod g+s /srv"));
        assert!(!adds_setuid("/bin/sh -c chmod 0755 /bin/busybox"));
        assert!(!adds_setuid("/bin/sh -c chmod u+x,go-w /app"));
        assert!(!adds_setuid("/bin/sh -c #(nop)  LABEL chmod=4755"));
    }
}
