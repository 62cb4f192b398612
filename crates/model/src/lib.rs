//! The plain-data vocabulary of rampart: severities, categories, the seed's checklist,
//! rule metadata, findings and the report. Nothing here does I/O, so every other crate can
//! depend on it.

mod checklist;
mod compose;
mod container;
mod finding;
mod image_content;
mod redact;
mod report;
mod risk;
mod attack_path;
mod rule;
mod snapshot;
mod vulnerability;

pub use checklist::{ChecklistAnswer, ChecklistItem, ChecklistStatus, CHECKLIST};
pub use compose::{ComposeNetwork, ComposeProject, ComposeResource, ComposeService, ComposeVolume, ResourceSource};
pub use container::*;
pub use finding::{Finding, Location};
pub use image_content::{BaseOs, EolStatus, HiddenFile, HistoryStep, ImageContent, ImageFile, ImageFileKind, ImageSecret, OsRelease};
pub use redact::redact;
pub use attack_path::{find_attack_paths, AttackPath};
pub use risk::{assess, container_factors, dangerous_capabilities, host_takeover_mounts, is_docker_socket, ports_on_every_interface, Risk, RiskFactor, DANGEROUS_CAPABILITIES, MAX_RISK};
pub use report::{ImageSummary, InputError, Notice, Report, Summary, Tool, SCHEMA_VERSION};
pub use snapshot::{
    AuditedFile, CollectorNote, ContainerFacts, DaemonConfig, DaemonFacts, EngineEndpoint, HostFacts, HostFile, ImageFacts, NetworkFacts,
    PluginFacts, ServiceFacts, ServicePort, Setting, Snapshot, SocketFacts, SwarmFacts, VolumeFacts, SNAPSHOT_VERSION,
};
pub use rule::{Category, RuleDocs, RuleMeta, Severity, Target};
pub use vulnerability::{AdvisoryDatabase, PackageVulnerability, SuppressedVulnerability, VulnerabilityScan, VulnerabilityScanStatus};
