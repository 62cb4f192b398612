//! Variable substitution with BuildKit's scoping rules.

mod common;

use common::parse_ok;

fn index_of(df: &rampart_dockerfile::Dockerfile, line: u32) -> usize {
    df.instructions.iter().position(|i| i.line == line).unwrap_or_else(|| panic!("no instruction on line {line}"))
}

#[test]
fn operators() {
    let df = parse_ok("FROM x\nENV SET=value EMPTY=\nRUN true\n");
    let at = index_of(&df, 3);
    let cases = [
        ("$SET", Some("value")),
        ("${SET}", Some("value")),
        ("a${SET}b$SET.c", Some("avaluebvalue.c")),
        ("${SET:-x}", Some("value")),
        ("${EMPTY:-x}", Some("x")),
        ("${EMPTY-x}", Some("")),
        ("${UNSET-x}", Some("x")),
        ("${UNSET:-x}", Some("x")),
        ("${SET:+alt}", Some("alt")),
        ("${EMPTY:+alt}", Some("")),
        ("${EMPTY+alt}", Some("alt")),
        ("${UNSET+alt}", Some("")),
        ("${UNSET:-${SET}}", Some("value")),
        ("$UNSET", None),
        ("${UNSET}", None),
        ("${UNSET:?required}", None),
        ("\\$SET", Some("$SET")),
        ("$ and $1", Some("$ and $1")),
        ("${SET%%pattern}", None),
        ("${unterminated", None),
    ];
    for (text, expected) in cases {
        assert_eq!(df.expand(at, text).as_deref(), expected, "{text}");
    }
}

#[test]
fn global_args_are_visible_in_from_only_until_redeclared() {
    let src = "ARG VERSION=1.0\nARG IMAGE=app:${VERSION}\nFROM base:$VERSION\nRUN echo\nARG VERSION\nRUN echo\nARG IMAGE=other\nRUN echo\n";
    let df = parse_ok(src);
    assert_eq!(df.expand(index_of(&df, 2), "$IMAGE").as_deref(), None, "not declared yet on its own line");
    assert_eq!(df.expand(index_of(&df, 3), "$IMAGE").as_deref(), Some("app:1.0"));
    assert_eq!(df.expand(index_of(&df, 3), "$VERSION").as_deref(), Some("1.0"));
    assert_eq!(df.expand(index_of(&df, 4), "$VERSION"), None, "global ARG not visible in the stage");
    assert_eq!(df.expand(index_of(&df, 6), "$VERSION").as_deref(), Some("1.0"), "bare ARG takes the global default");
    assert_eq!(df.expand(index_of(&df, 6), "$IMAGE"), None);
    assert_eq!(df.expand(index_of(&df, 8), "$IMAGE").as_deref(), Some("other"));
}

#[test]
fn stage_arg_without_default_is_unknown() {
    let df = parse_ok("FROM x\nARG TOKEN\nARG MODE=${TOKEN:-dev}\nRUN echo\n");
    let at = index_of(&df, 4);
    assert_eq!(df.expand(at, "$TOKEN"), None);
    assert_eq!(df.expand(at, "$MODE").as_deref(), Some("dev"));
}

#[test]
fn env_wins_over_arg_and_applies_in_order() {
    let df = parse_ok("FROM x\nARG NAME=arg\nRUN a\nENV NAME=env\nARG NAME=later\nRUN b\nENV PATH=/opt:$PATH DIR=/srv NESTED=$DIR/x\nRUN c\n");
    assert_eq!(df.expand(index_of(&df, 3), "$NAME").as_deref(), Some("arg"));
    assert_eq!(df.expand(index_of(&df, 6), "$NAME").as_deref(), Some("env"));
    // PATH comes from the base image, which we cannot see.
    assert_eq!(df.expand(index_of(&df, 8), "$PATH"), None);
    assert_eq!(df.expand(index_of(&df, 8), "$NESTED").as_deref(), Some("/srv/x"));
}

#[test]
fn env_is_inherited_from_a_parent_stage_but_args_are_not() {
    let df = parse_ok(
        "FROM alpine AS builder\nARG BUILD_ARG=1\nENV APP_HOME=/app\nFROM builder AS test\nRUN echo\nFROM alpine\nRUN echo\n",
    );
    assert_eq!(df.expand(index_of(&df, 5), "$APP_HOME").as_deref(), Some("/app"));
    assert_eq!(df.expand(index_of(&df, 5), "$BUILD_ARG"), None);
    assert_eq!(df.expand(index_of(&df, 7), "$APP_HOME"), None);
}

#[test]
fn from_through_an_arg_names_a_stage() {
    let df = parse_ok("ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\n");
    assert_eq!(df.stages[1].base, rampart_dockerfile::BaseRef::Stage(0));
}
