//! `rampart scan` runs the compose project rules (networks, secrets) over each project, with
//! the same ignore comments as the container rules.

use rampart_scan::{scan, ScanOptions};

#[test]
fn project_rules_run_on_compose_projects() {
    let dir = tempfile::tempdir().unwrap();
    let compose = "services:\n  db:\n    image: postgres:16\n    networks: [backend]\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\n  worker:\n    image: worker:1\n    environment:\n      # rampart ignore=SEC003 reason=the worker's token is rotated hourly\n      API_TOKEN: ${API_TOKEN:-dev-token-123}\nnetworks:\n  backend:\n    internal: true\nsecrets:\n  db_password:\n    file: ./db_password.txt\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).unwrap();
    let result = scan(&ScanOptions { paths: vec![dir.path().to_path_buf()], ..ScanOptions::default() });
    assert!(result.report.errors.is_empty(), "{:?}", result.report.errors);
    let project: Vec<(String, Option<u32>)> = result
        .report
        .findings
        .iter()
        .filter(|f| ["NET007", "NET008", "SEC003"].contains(&f.rule.as_str()))
        .map(|f| (f.rule.clone(), f.location.line))
        .collect();
    // The worker sits on `default` beside the internal `backend` (reported at its key); its
    // token in the environment is silenced by the comment above it.
    assert_eq!(project, vec![("NET007".to_string(), Some(8))], "{:#?}", result.report.findings);
    assert_eq!(result.report.summary.suppressed, 1);
}
