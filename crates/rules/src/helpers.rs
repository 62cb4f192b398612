//! Small queries many rules share. Add here what two rules would otherwise each write.

use rampart_dockerfile::{Dockerfile, Instruction, Kind, Run, ShellScript, Stage};

/// Every RUN instruction with its parsed payload, in file order (ONBUILD RUNs excluded).
pub fn runs(df: &Dockerfile) -> impl Iterator<Item = (&Instruction, &Run)> {
    df.instructions.iter().filter_map(|ins| match &ins.kind {
        Kind::Run(run) => Some((ins, run)),
        _ => None,
    })
}

/// Every RUN whose commands could be analysed, with its script.
pub fn run_scripts(df: &Dockerfile) -> impl Iterator<Item = (&Instruction, &Run, &ShellScript)> {
    runs(df).filter_map(|(ins, run)| run.script.as_ref().map(|script| (ins, run, script)))
}

/// The stage `ins` belongs to.
pub fn stage_of<'a>(df: &'a Dockerfile, ins: &Instruction) -> Option<&'a Stage> {
    ins.stage.and_then(|i| df.stages.get(i))
}

/// True when `ins` is in the last stage (the image `docker build` produces by default).
pub fn in_final_stage(df: &Dockerfile, ins: &Instruction) -> bool {
    ins.stage.is_some() && ins.stage == df.stages.len().checked_sub(1)
}

/// True when the RUN has a `--mount=type=cache` whose target is `path` or a parent of it, so
/// files left there do not end up in the image.
pub fn cache_mounted(run: &Run, path: &str) -> bool {
    run.mounts.iter().any(|m| {
        m.kind == "cache"
            && m.target.as_deref().is_some_and(|target| {
                let target = target.trim_end_matches('/');
                path == target || path.starts_with(&format!("{target}/"))
            })
    })
}
