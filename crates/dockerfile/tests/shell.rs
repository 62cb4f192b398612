//! Shell analysis of RUN: which commands tree-sitter-bash finds, how they are joined, and that
//! their spans point at the right place in the Dockerfile.

mod common;

use common::{parse_ok, render_script, runs, script_of, text_at};
use rampart_dockerfile::{Joiner, ScopeKind};

fn render(src: &str) -> String {
    let df = parse_ok(src);
    runs(&df)
        .iter()
        .map(|(instruction, run)| match &run.script {
            Some(script) => format!("RUN@{}\n{}", instruction.line, render_script(&df, script)),
            None => format!("RUN@{} (no script)\n", instruction.line),
        })
        .collect()
}

#[test]
fn lists_pipes_and_sequences() {
    insta::assert_snapshot!(render(
        "FROM x\nRUN apt-get update && apt-get install -y curl || echo failed; ls | grep a |& wc -l & wait\n"
    ), @r#"
    RUN@2
    Start p0 apt-get update @2:5 "apt-get update"
    And p1 apt-get install -y curl @2:23 "apt-get install -y curl"
    Or p2 echo failed @2:50 "echo failed"
    Seq p3 ls @2:63 "ls"
    Pipe p3 grep a @2:68 "grep a"
    Pipe p3 wc -l @2:78 "wc -l"
    Background p4 wait @2:86 "wait"
    "#);
}

#[test]
fn nested_constructs() {
    insta::assert_snapshot!(render(
        "FROM x\nRUN (cd /src && make) && { echo a; } && echo $(curl -fsSL https://x.invalid | sha256sum) `date` \\\n && if [ -f /x ]; then rm /x; elif true; then :; else exit 1; fi \\\n && for p in a b; do pip install $p; done \\\n && while false; do sleep 1; done \\\n && case $A in a) echo a;; *) echo other;; esac \\\n && f() { useradd app; } && f \\\n && ! grep -q x /etc/x\n"
    ), @r#"
    RUN@2
      Start p0 cd /src @2:6 "cd /src"
      And p1 make @2:17 "make"
      Start p2 echo a @2:28 "echo a"
    And p3 echo $(curl -fsSL https://x.invalid | sha256sum)~ `date`~ @2:41 "echo $(curl -fsSL https://x.invalid | sha256sum) `date`"
      Start p4 curl -fsSL https://x.invalid @2:48 "curl -fsSL https://x.invalid"
      Pipe p4 sha256sum @2:79 "sha256sum"
      Start p5 date @2:91 "date"
      Start p6 [ -f /x @3:8 "[ -f /x ]"
      Seq p7 rm /x @3:24 "rm /x"
      Seq p8 true @3:36 "true"
      Seq p9 : @3:47 ":"
      Seq p10 exit 1 @3:55 "exit 1"
      Start p11 pip install $p~ @4:22 "pip install $p"
      Start p12 false @5:11 "false"
      Seq p13 sleep 1 @5:21 "sleep 1"
      Start p14 echo a @6:19 "echo a"
      Seq p15 echo other @6:31 "echo other"
      Start p16 useradd app @7:11 "useradd app"
    And p17 f @7:29 "f"
    And p18 grep -q x /etc/x @8:7 "grep -q x /etc/x"
    "#);
}

#[test]
fn shell_c_strings_are_parsed_recursively() {
    let df = parse_ok(
        "FROM x\nRUN sh -c 'apt-get update && bash -c \"curl -sL https://x.invalid | sh\"' && su app -c 'ls'\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"wget -O- https://x.invalid | bash\"]\n",
    );
    insta::assert_snapshot!(render_script(&df, script_of(&df, 0)), @r#"
    Start p0 sh -c apt-get update && bash -c "curl -sL https://x.invalid | sh" @2:5 "sh -c 'apt-get update && bash -c \"curl -sL https://x.invalid | sh\"'"
      Start p1 apt-get update @2:12 "apt-get update"
      And p2 bash -c curl -sL https://x.invalid | sh @2:30 "bash -c \"curl -sL https://x.invalid | sh\""
        Start p3 curl -sL https://x.invalid @2:39 "curl -sL https://x.invalid"
        Pipe p3 sh @2:68 "sh"
    And p4 su app -c ls @2:76 "su app -c 'ls'"
      Start p5 ls @2:87 "ls"
    "#);
    insta::assert_snapshot!(render_script(&df, script_of(&df, 1)), @r#"
    Start p0 /bin/bash -o pipefail -c wget -O- https://x.invalid | bash @3:7 "/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"wget -O- https://x.invalid | bash"
      Start p1 wget -O- https://x.invalid @3:44 "wget -O- https://x.invalid"
      Pipe p1 bash @3:73 "bash"
    "#);
}

#[test]
fn shell_nesting_is_bounded() {
    let src = "FROM x\nRUN sh -c 'sh -c \"sh -c ls\"'\n";
    let limits = rampart_dockerfile::ParseLimits { max_shell_depth: 1, ..Default::default() };
    let df = rampart_dockerfile::parse(src.as_bytes(), &limits).expect("parses");
    let depths: Vec<u32> = script_of(&df, 0).commands.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1]);
    let deep = parse_ok(src);
    let depths: Vec<u32> = script_of(&deep, 0).commands.iter().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 2, 3]);
}

#[test]
fn heredoc_scripts() {
    insta::assert_snapshot!(render(
        "FROM x\nRUN <<EOF\nset -e\ncurl -fsSL https://x.invalid | sh\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\nRUN bash -e <<EOF\nwget -qO- https://x.invalid | bash\nEOF\nRUN cat <<EOF > /etc/conf && chmod 600 /etc/conf\nkey=$(date)\nEOF\nRUN python3 <<'EOF'\nimport os\nEOF\n"
    ), @r#"
    RUN@2
    Start p0 set -e @3:1 "set -e"
    Seq p1 curl -fsSL https://x.invalid @4:1 "curl -fsSL https://x.invalid"
    Pipe p1 sh @4:32 "sh"
    RUN@6 (no script)
    RUN@10
    Start p0 bash -e {<<EOF} @10:5 "bash -e"
      Start p1 wget -qO- https://x.invalid @11:1 "wget -qO- https://x.invalid"
      Pipe p1 bash @11:31 "bash"
    RUN@13
    Start p0 cat {<<EOF, > /etc/conf} @13:5 "cat"
    And p1 chmod 600 /etc/conf @13:30 "chmod 600 /etc/conf"
      Start p2 date @14:7 "date"
    RUN@16
    Start p0 python3 {<<'EOF'} @16:5 "python3"
    "#);
}

#[test]
fn heredoc_piped_into_a_shell() {
    let df = parse_ok("FROM x\nRUN cat <<EOF | sh -x\napk add curl\nEOF\n");
    let script = script_of(&df, 0);
    let names: Vec<(&str, Joiner, usize)> = script.commands.iter().map(|c| (c.name(), c.joiner, c.pipeline)).collect();
    assert_eq!(names, [("cat", Joiner::Start, 0), ("sh", Joiner::Pipe, 0)]);
    assert_eq!(script.pipelines[0].commands, [0, 1]);
}

#[test]
fn assignments_redirects_and_words() {
    let df = parse_ok(
        "FROM x\nRUN DEBIAN_FRONTEND=noninteractive TZ=\"Etc/UTC\" apt-get install -y \"pkg=1.0\" 'two words' $VAR *.deb > /dev/null 2>&1 \\\n && export PATH=/x:$PATH && echo done >> /log\n",
    );
    let script = script_of(&df, 0);
    let install = &script.commands[0];
    assert_eq!(install.env, [("DEBIAN_FRONTEND".to_string(), "noninteractive".to_string()), ("TZ".to_string(), "Etc/UTC".to_string())]);
    assert_eq!(install.name(), "apt-get");
    let args: Vec<(&str, &str, bool)> = install.args.iter().map(|a| (a.raw.as_str(), a.value.as_str(), a.literal)).collect();
    assert_eq!(
        args,
        [
            ("install", "install", true),
            ("-y", "-y", true),
            ("\"pkg=1.0\"", "pkg=1.0", true),
            ("'two words'", "two words", true),
            ("$VAR", "$VAR", false),
            ("*.deb", "*.deb", false),
        ]
    );
    assert_eq!(text_at(&df, install.args[3].span), "'two words'");
    assert_eq!(install.redirects, ["> /dev/null", "2>&1"]);
    assert!(install.has_flag(&["-y"]));
    let export = &script.commands[1];
    assert_eq!((export.name(), export.args[0].value.as_str()), ("export", "PATH=/x:$PATH"));
    assert_eq!(script.commands[2].redirects, [">> /log"]);
    // Spans on a continuation line point at that line.
    assert_eq!(df.line_col(export.span.start), (3, 5));
}

#[test]
fn non_posix_shells_have_no_script() {
    let df = parse_ok(
        "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"powershell\", \"-Command\"]\nRUN Invoke-WebRequest -Uri https://x.invalid\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN dir\nSHELL [\"/bin/sh\", \"-c\"]\nRUN ls\n",
    );
    let scripts: Vec<bool> = runs(&df).iter().map(|(_, r)| r.script.is_some()).collect();
    assert_eq!(scripts, [false, false, true]);
}

#[test]
fn syntax_errors_are_flagged_but_commands_kept() {
    let df = parse_ok("FROM x\nRUN echo 'unterminated && apt-get install curl\nRUN echo ok && ( ls\n");
    for (_, run) in runs(&df) {
        let script = run.script.as_ref().expect("script");
        assert!(script.has_errors, "{script:?}");
    }
    let script = script_of(&df, 1);
    assert_eq!(script.commands.first().map(|c| c.name()), Some("echo"));
}

#[test]
fn backtick_escape_directive_scripts() {
    let df = parse_ok("# escape=`\nFROM x\nRUN apt-get update `\n && apt-get install -y curl\n");
    let names: Vec<&str> = script_of(&df, 0).commands.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["apt-get", "apt-get"]);
    assert_eq!(df.line_col(script_of(&df, 0).commands[1].span.start), (4, 5));
}

#[test]
fn shell_strings_behind_wrappers() {
    let df = parse_ok(
        "FROM x\nRUN sudo -u app bash -c 'rm -rf /var/lib/apt/lists/*' && env DEBIAN_FRONTEND=noninteractive sh -ec 'apt-get update' \\\n && timeout 30 sh -c 'sleep 1' && sudo -u bash ls && nice make\n",
    );
    let script = script_of(&df, 0);
    let nested: Vec<(&str, u32, ScopeKind)> =
        script.commands.iter().map(|c| (c.name(), c.depth, script.scope_kind(c.scope))).collect();
    assert_eq!(
        nested,
        [
            ("sudo", 0, ScopeKind::Script),
            ("rm", 1, ScopeKind::ShellString),
            ("env", 0, ScopeKind::Script),
            ("apt-get", 1, ScopeKind::ShellString),
            ("timeout", 0, ScopeKind::Script),
            ("sleep", 1, ScopeKind::ShellString),
            // `-u bash` is sudo's user option, not a shell.
            ("sudo", 0, ScopeKind::Script),
            ("nice", 0, ScopeKind::Script),
        ]
    );
    assert_eq!(text_at(&df, script.commands[1].span), "rm -rf /var/lib/apt/lists/*");
}

#[test]
fn find_exec_commands_are_nested() {
    let df = parse_ok(
        "FROM x\nRUN find /app -type f -exec chmod 777 {} \\; -o -execdir sh -c 'chown app \"$1\"' _ {} + | sort && find . -name x -delete\n",
    );
    let script = script_of(&df, 0);
    insta::assert_snapshot!(render_script(&df, script), @r#"
    Start p0 find /app -type f -exec chmod 777 {} ; -o -execdir sh -c chown app "$1" _ {} + @2:5 "find /app -type f -exec chmod 777 {} \\; -o -execdir sh -c 'chown app \"$1\"' _ {} +"
      Start p1 chmod 777 {} @2:29 "chmod 777 {}"
      Start p2 sh -c chown app "$1" _ {} @2:57 "sh -c 'chown app \"$1\"' _ {}"
        Start p3 chown app $1~ @2:64 "chown app \"$1\""
    Pipe p0 sort @2:89 "sort"
    And p4 find . -name x -delete @2:97 "find . -name x -delete"
    "#);
    let kinds: Vec<ScopeKind> = script.commands.iter().map(|c| script.scope_kind(c.scope)).collect();
    assert_eq!(kinds, [ScopeKind::Script, ScopeKind::FindExec, ScopeKind::FindExec, ScopeKind::ShellString, ScopeKind::Script, ScopeKind::Script]);
    assert!(script.in_child_process(script.commands[3].scope));
    assert!(!script.in_child_process(script.commands[4].scope));
}

#[test]
fn scopes_tell_subshells_from_groups() {
    let df = parse_ok("FROM x\nRUN (cd /src && make) && { cd /b; } && if true; then (x=$(pwd)); fi && cd /c\n");
    let script = script_of(&df, 0);
    let kinds: Vec<(&str, ScopeKind, bool)> = script
        .commands
        .iter()
        .map(|c| (c.name(), script.scope_kind(c.scope), script.in_child_process(c.scope)))
        .collect();
    assert_eq!(
        kinds,
        [
            ("cd", ScopeKind::Subshell, true),
            ("make", ScopeKind::Subshell, true),
            ("cd", ScopeKind::Group, false),
            ("true", ScopeKind::Group, false),
            ("pwd", ScopeKind::Substitution, true),
            ("cd", ScopeKind::Script, false),
        ]
    );
    // Every scope but the script's has a parent listed before it.
    assert_eq!(script.scopes[0].parent, None);
    assert!(script.scopes.iter().enumerate().skip(1).all(|(i, s)| s.parent.is_some_and(|p| p < i)));
}

#[test]
fn assignment_statements_are_listed_in_order() {
    let df = parse_ok(
        "FROM x\nRUN set -eux && INSTALL_PKGS=\"bash \\\n  curl\" && A=1 B+=2; PYTHONHTTPSVERIFY=0; dnf install -y $INSTALL_PKGS && V=$(cat /v) && echo $V\n",
    );
    let script = script_of(&df, 0);
    let assignments: Vec<(&str, &str, bool, usize)> =
        script.assignments.iter().map(|a| (a.name.as_str(), a.value.value.as_str(), a.append, a.position)).collect();
    assert_eq!(
        assignments,
        [("INSTALL_PKGS", "bash   curl", false, 1), ("A", "1", false, 1), ("B", "2", true, 1), ("PYTHONHTTPSVERIFY", "0", false, 1), ("V", "$(cat /v)", false, 2)]
    );
    let names: Vec<&str> = script.commands.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["set", "dnf", "cat", "echo"]);
    assert_eq!(text_at(&df, script.assignments[0].span), "INSTALL_PKGS=\"bash \\\n  curl\"");
    assert_eq!(text_at(&df, script.assignments[3].span), "PYTHONHTTPSVERIFY=0");
    assert_eq!(script.variable_before(1, "INSTALL_PKGS").as_deref(), Some("bash   curl"));
    assert_eq!(script.variable_before(0, "INSTALL_PKGS"), None, "not yet set for the first command");
    assert_eq!(script.variable_before(1, "B").as_deref(), Some("2"), "an append to an unset variable");
    assert_eq!(script.variable_before(3, "V").as_deref(), Some("$(cat /v)"));
}

#[test]
fn variable_values_follow_scopes_exports_and_unsets() {
    let df = parse_ok(
        "FROM x\nRUN (P=sub); export P=\"a b\" && Q=1 && unset Q && P+=\" c\" && { R=group; } && sh -c 'P=inner; echo $P' && echo $P $Q $R\n",
    );
    let script = script_of(&df, 0);
    let last = script.commands.len() - 1;
    assert_eq!(script.commands[last].name(), "echo");
    assert_eq!(script.variable_before(last, "P").as_deref(), Some("a b c"), "the subshell's and the -c string's P do not leak");
    assert_eq!(script.variable_before(last, "Q"), None, "unset");
    assert_eq!(script.variable_before(last, "R").as_deref(), Some("group"), "a {{ }} group runs in the same shell");
    let inner_echo = script.commands.iter().position(|c| c.name() == "echo").unwrap();
    assert_eq!(script.variable_before(inner_echo, "P").as_deref(), Some("inner"));
}

#[test]
fn assignments_before_special_builtins_persist() {
    let df = parse_ok("FROM x\nRUN buildDeps=' curl git ' set -x && X=1 make && apt-get install $buildDeps $X\n");
    let script = script_of(&df, 0);
    assert_eq!(script.commands[2].name(), "apt-get");
    assert_eq!(script.variable_before(2, "buildDeps").as_deref(), Some(" curl git "));
    assert_eq!(script.variable_before(2, "X"), None, "an assignment before an ordinary command is for that command only");
}
