//! `db update` against a local HTTP server on 127.0.0.1 started here, serving zips built here:
//! a good archive, a broken one, a truncated download that resumes with a Range request, a 404.

use rampart_vuln::update::update;
use rampart_vuln::Store;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

fn archive(prefix: &str, count: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..count {
        let id = format!("{prefix}-{i}");
        let record = serde_json::json!({"id": id, "affected": [{"package": {"ecosystem": "Debian:12", "name": format!("pkg{i}")},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}]});
        zip.start_file(format!("{id}.json"), options).expect("entry");
        zip.write_all(record.to_string().as_bytes()).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// Each request's path and Range header.
type RequestLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// Serves at most `max_connections` requests, then stops. Returns the base URL and the request
/// log (path and Range header of each request).
fn serve(max_connections: usize) -> (String, RequestLog) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let log = Arc::new(Mutex::new(Vec::new()));
    let good = archive("GOOD", 30);
    let flaky = archive("FLAKY", 200);
    let hashed = archive("HASHED", 5);
    let right_md5 = goog_md5(&hashed);
    let wrong_md5 = goog_md5(b"something else");
    let thread_log = Arc::clone(&log);
    std::thread::spawn(move || {
        let mut flaky_requests = 0;
        for stream in listener.incoming().take(max_connections) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
            let mut range_start = None;
            let mut range_header = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("range") {
                        range_header = Some(value.trim().to_string());
                        range_start = value.trim().strip_prefix("bytes=").and_then(|v| v.trim_end_matches('-').parse::<usize>().ok());
                    }
                }
            }
            thread_log.lock().expect("log").push((path.clone(), range_header));
            let send_with = |stream: &mut std::net::TcpStream, status: &str, extra: &str, length: usize, body: &[u8]| {
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\n{extra}Connection: close\r\n\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            };
            let send = |stream: &mut std::net::TcpStream, status: &str, length: usize, body: &[u8]| send_with(stream, status, "", length, body);
            match path.as_str() {
                "/Debian:12/all.zip" => send(&mut stream, "200 OK", good.len(), &good),
                "/Broken/all.zip" => send(&mut stream, "200 OK", 17, b"this is no zip!!!"),
                "/Flaky/all.zip" => {
                    flaky_requests += 1;
                    match (flaky_requests, range_start) {
                        // First request: the connection drops half way.
                        (1, _) => send(&mut stream, "200 OK", flaky.len(), &flaky[..flaky.len() / 2]),
                        (_, Some(start)) if start < flaky.len() => {
                            send(&mut stream, "206 Partial Content", flaky.len() - start, &flaky[start..])
                        }
                        _ => send(&mut stream, "200 OK", flaky.len(), &flaky),
                    }
                }
                // As the OSV bucket sends it: crc32c and md5 in one header.
                "/Hashed/all.zip" => {
                    send_with(&mut stream, "200 OK", &format!("x-goog-hash: crc32c=AAAAAA==,md5={right_md5}\r\n"), hashed.len(), &hashed)
                }
                "/BadHash/all.zip" => {
                    send_with(&mut stream, "200 OK", &format!("x-goog-hash: crc32c=AAAAAA==\r\nx-goog-hash: md5={wrong_md5}\r\n"), hashed.len(), &hashed)
                }
                _ => send(&mut stream, "404 Not Found", 0, b""),
            }
        }
    });
    (base, log)
}

/// Base64 of the MD5, as `x-goog-hash: md5=` carries it.
fn goog_md5(bytes: &[u8]) -> String {
    use base64::Engine;
    use md5::Digest;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(bytes))
}

fn count(store: &Store) -> u64 {
    store.status().expect("status").advisories
}

#[test]
fn update_downloads_imports_and_stays_atomic_on_failures() {
    let (base, log) = serve(20);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let mut store = Store::open(&dir.path().join("advisories.db")).expect("open");

    let summary = update(&mut store, &base, &["Debian:12".to_string()], &cache).expect("good update");
    assert_eq!(summary.imported, 30);
    assert_eq!(count(&store), 30);

    // A broken archive fails the whole update: the good one downloaded beside it is not imported.
    let error = update(&mut store, &base, &["Debian:12".to_string(), "Broken".to_string()], &cache).expect_err("broken zip");
    assert!(error.to_string().contains("not a readable zip archive"), "{error}");
    assert_eq!(count(&store), 30);

    let error = update(&mut store, &base, &["Missing".to_string()], &cache).expect_err("404");
    assert!(error.to_string().contains("HTTP 404"), "{error}");

    // A truncated download is an error; the next update resumes it with a Range request.
    let error = update(&mut store, &base, &["Flaky".to_string()], &cache).expect_err("truncated download");
    assert!(error.to_string().contains("run update again to resume"), "{error}");
    assert_eq!(count(&store), 30);
    let partial = std::fs::metadata(cache.join("Flaky.zip.part")).expect("partial kept").len();
    assert!(partial > 0);
    let summary = update(&mut store, &base, &["Flaky".to_string()], &cache).expect("resumed update");
    assert_eq!(summary.imported, 200);
    assert_eq!(count(&store), 230);
    let requests = log.lock().expect("log").clone();
    let flaky: Vec<&(String, Option<String>)> = requests.iter().filter(|(path, _)| path == "/Flaky/all.zip").collect();
    assert_eq!(flaky.len(), 2, "{requests:?}");
    assert_eq!(flaky[1].1.as_deref(), Some(format!("bytes={partial}-").as_str()));
}

#[test]
fn downloads_are_checked_against_the_announced_md5() {
    let (base, _log) = serve(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let mut store = Store::open(&dir.path().join("advisories.db")).expect("open");
    let summary = update(&mut store, &base, &["Hashed".to_string()], &cache).expect("matching md5");
    assert_eq!(summary.imported, 5);

    let error = update(&mut store, &base, &["BadHash".to_string()], &cache).expect_err("wrong md5");
    assert!(error.to_string().contains("does not match the MD5"), "{error}");
    assert_eq!(count(&store), 5, "the store keeps what it had");
    assert!(!cache.join("BadHash.zip.part").exists(), "a download with the wrong hash is not kept for resuming");
}

#[test]
fn a_second_update_at_the_same_time_stops_with_a_clear_error() {
    let (base, log) = serve(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("advisories.db");
    let mut store = Store::open(&db).expect("open");
    let held = rampart_vuln::update::UpdateLock::acquire(&db).expect("first lock");
    let error = update(&mut store, &base, &["Debian:12".to_string()], &dir.path().join("cache")).expect_err("locked");
    assert!(error.to_string().contains("another `rampart db update` is running"), "{error}");
    assert!(log.lock().expect("log").is_empty(), "nothing was downloaded while locked");
    drop(held);
    let summary = update(&mut store, &base, &["Debian:12".to_string()], &dir.path().join("cache")).expect("lock released");
    assert_eq!(summary.imported, 30);
}
