//! IMG026: a compiler shipped in the runtime image.

use crate::image_content::{describe_file, executables};
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG026",
        name: "compiler-in-image",
        title: "Build in a separate stage: no compilers in the runtime image",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags C/C++ compilers and other toolchains (`gcc`, `cc`, `g++`, `clang`, `rustc`, `go`) in the final file system. One finding per image, listing them.",
            why: "A toolchain in a runtime image lets an attacker who gets a shell build exploits and tools on the spot, and it adds hundreds of MB and many packages to keep patched.",
            example: "FROM debian:12\nRUN apt-get install -y build-essential && make && make install",
            fix: "Use a multi-stage build: compile in a builder stage and `COPY --from=builder` only the artifacts into a slim or distroless runtime stage.",
            references: &["https://docs.docker.com/build/building/multi-stage/"],
            peer_notes: "",
        },
    },
    check: Check::Image(check),
};

const PATHS: &[&str] = &[
    "/usr/bin/gcc",
    "/usr/bin/cc",
    "/usr/bin/g++",
    "/usr/bin/c++",
    "/usr/bin/clang",
    "/usr/local/bin/gcc",
    "/usr/bin/rustc",
    "/usr/local/cargo/bin/rustc",
    "/usr/local/go/bin/go",
    "/usr/bin/go",
];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    let found: Vec<String> = executables(image, PATHS).map(|f| describe_file(image, f)).collect();
    if found.is_empty() {
        return;
    }
    out.report_object(&image.object, format!("{} compiler(s) in the image", found.len())).set_evidence(found.join("\n"));
}
