//! Prints the parsed AST of one Dockerfile as JSON: `cargo run -p rampart-dockerfile --example dump -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    match rampart_dockerfile::parse(&bytes, &rampart_dockerfile::ParseLimits::default()) {
        Ok(dockerfile) => match serde_json::to_string_pretty(&dockerfile) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("{e}"),
        },
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
