//! The rule documentation is generated from the rule registry: docs/rules/<CODE>.md for every
//! rule, the index docs/rules/README.md, and the rules table in the README between
//! `<!-- rules-table:start -->` and `<!-- rules-table:end -->`.
//!
//! This test fails when any of them is stale. To regenerate them after changing a rule:
//!
//! ```sh
//! RAMPART_BLESS=1 cargo test -p rampart --test generated_docs
//! ```

use rampart_model::RuleMeta;
use rampart_report::{rule_doc_markdown, rules_index, rules_table};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const BLESS_COMMAND: &str = "RAMPART_BLESS=1 cargo test -p rampart --test generated_docs";
const TABLE_START: &str = "<!-- rules-table:start -->";
const TABLE_END: &str = "<!-- rules-table:end -->";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn generated_note() -> String {
    format!("<!-- Generated from the rule's metadata: edit the rule's source, then run `{BLESS_COMMAND}`. -->\n\n")
}

fn metas() -> Vec<&'static RuleMeta> {
    rampart_rules::RULES.iter().map(|rule| &rule.meta).collect()
}

/// Every generated file under docs/rules/, by path relative to the repository root.
fn expected_rule_pages(metas: &[&RuleMeta]) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    for m in metas {
        files.insert(PathBuf::from(format!("docs/rules/{}.md", m.code)), format!("{}{}", generated_note(), rule_doc_markdown(m)));
    }
    files.insert(PathBuf::from("docs/rules/README.md"), format!("{}{}", generated_note(), rules_index(metas)));
    files
}

/// `readme` with the text between the markers replaced by `table`, or `None` without markers.
fn with_table(readme: &str, table: &str) -> Option<String> {
    let start = readme.find(TABLE_START)? + TABLE_START.len();
    let end = start + readme[start..].find(TABLE_END)?;
    Some(format!("{}\n\n{}\n{}", &readme[..start], table.trim_end(), &readme[end..]))
}

fn bless_requested() -> bool {
    std::env::var_os("RAMPART_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn generated_rule_docs_are_up_to_date() {
    let root = repo_root();
    let metas = metas();
    assert!(!metas.is_empty(), "the registry has no rules");
    let bless = bless_requested();
    let mut stale = Vec::new();

    let expected = expected_rule_pages(&metas);
    for (relative, want) in &expected {
        let path = root.join(relative);
        let have = std::fs::read_to_string(&path).ok();
        if have.as_deref() != Some(want.as_str()) {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, want).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
            } else {
                stale.push(format!("{} is {}", relative.display(), if have.is_some() { "stale" } else { "missing" }));
            }
        }
    }

    // A page whose rule is gone (renamed or retired code) must go too.
    if let Ok(entries) = std::fs::read_dir(root.join("docs/rules")) {
        for entry in entries.flatten() {
            let relative = PathBuf::from("docs/rules").join(entry.file_name());
            if relative.extension().is_some_and(|e| e == "md") && !expected.contains_key(&relative) {
                if bless {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    stale.push(format!("{} documents no rule in the registry", relative.display()));
                }
            }
        }
    }

    // The README's table, when the README has the markers.
    let readme_path = root.join("README.md");
    if let Ok(readme) = std::fs::read_to_string(&readme_path) {
        if let Some(want) = with_table(&readme, &rules_table(metas.iter().copied(), "docs/rules/")) {
            if want != readme {
                if bless {
                    std::fs::write(&readme_path, want).unwrap();
                } else {
                    stale.push("README.md's rules table is stale".to_string());
                }
            }
        }
    }

    assert!(
        stale.is_empty(),
        "generated rule documentation is out of date:\n  {}\nregenerate it with:\n  {BLESS_COMMAND}",
        stale.join("\n  ")
    );
}

#[test]
fn readme_table_replacement_keeps_the_rest() {
    let readme = format!("# Title\n\nintro\n\n{TABLE_START}\nold table\n{TABLE_END}\n\nafter\n");
    let updated = with_table(&readme, "| new |\n").unwrap();
    assert_eq!(updated, format!("# Title\n\nintro\n\n{TABLE_START}\n\n| new |\n{TABLE_END}\n\nafter\n"));
    // Idempotent, and a README without markers is left alone.
    assert_eq!(with_table(&updated, "| new |\n").unwrap(), updated);
    assert_eq!(with_table("# no markers\n", "| new |"), None);
}

#[test]
fn index_links_resolve_from_their_folders() {
    let metas = metas();
    let index = rules_index(&metas);
    let readme_table = rules_table(metas.iter().copied(), "docs/rules/");
    for m in &metas {
        assert!(index.contains(&format!("[{0}]({0}.md)", m.code)), "docs/rules/README.md links {} wrongly", m.code);
        assert!(readme_table.contains(&format!("[{0}](docs/rules/{0}.md)", m.code)), "README links {} wrongly", m.code);
    }
}
