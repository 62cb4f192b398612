//! The twelve items of the hardening guide's checklist: every rule says which it informs.

use serde::{Deserialize, Serialize};

/// One item of the checklist, numbered 1 to 12 as in the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecklistItem {
    pub number: u8,
    pub title: &'static str,
}

pub const CHECKLIST: [ChecklistItem; 12] = [
    ChecklistItem { number: 1, title: "Daemon access is restricted and secured (TLS, VPN or SSH; no plain TCP)" },
    ChecklistItem { number: 2, title: "The Docker socket's permissions are minimal" },
    ChecklistItem { number: 3, title: "Images are built from trusted, minimal base images" },
    ChecklistItem { number: 4, title: "Images are regularly scanned for vulnerabilities" },
    ChecklistItem { number: 5, title: "Containers run as non-root users" },
    ChecklistItem { number: 6, title: "Unnecessary Linux capabilities are dropped" },
    ChecklistItem { number: 7, title: "Containers run with read-only root filesystems where possible" },
    ChecklistItem { number: 8, title: "Secrets are not kept in env vars or image layers" },
    ChecklistItem { number: 9, title: "Networks restrict inter-container and external traffic" },
    ChecklistItem { number: 10, title: "Runtime security monitoring is in place" },
    ChecklistItem { number: 11, title: "CPU and memory limits are set for every container" },
    ChecklistItem { number: 12, title: "Docker and the host are kept up to date" },
];

impl ChecklistItem {
    pub fn get(number: u8) -> Option<ChecklistItem> {
        CHECKLIST.get(usize::from(number).checked_sub(1)?).copied()
    }
}

/// How well a host meets one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChecklistStatus {
    Pass,
    Fail,
    /// Met for some objects (containers) and not for others.
    Partial,
    /// Could not be established: the facts were not collected (not root, not local, no engine)
    /// or rampart does not check this yet. Never read as a pass.
    Unknown,
}

impl ChecklistStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistStatus::Pass => "PASS",
            ChecklistStatus::Fail => "FAIL",
            ChecklistStatus::Partial => "PARTIAL",
            ChecklistStatus::Unknown => "UNKNOWN",
        }
    }
}

/// One checklist item answered for an audited host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    /// 1 to 12.
    pub item: u8,
    pub title: String,
    pub status: ChecklistStatus,
    /// What the answer rests on, in words.
    pub evidence: Vec<String>,
    /// Codes of the findings behind a FAIL or PARTIAL, each once.
    pub findings: Vec<String>,
}
