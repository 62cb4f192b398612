//! An image of the engine as a `docker save` tar stream (`GET /images/{name}/get`), handed to a
//! blocking reader while it arrives: a bounded channel between the async download and the
//! reader keeps a few chunks in memory at most, never the whole image.

use crate::connect::{self, choose_api_version, parse_api_version, Endpoint};
use crate::EngineError;
use futures_util::StreamExt;
use std::io::{self, Read};
use std::time::Duration;

/// Chunks in flight between the download and the reader (bollard's chunks are at most a few
/// tens of KiB, so this bounds memory to a few MiB).
const CHANNEL_CHUNKS: usize = 64;

/// Streams `image` (name, tag or ID) from the engine at `endpoint` into `consume`, which runs on
/// a blocking thread and reads the tar as it comes. `timeout` bounds connecting and each
/// engine call before the stream starts.
pub fn export_image<T: Send + 'static>(
    endpoint: &Endpoint,
    image: &str,
    timeout: Duration,
    consume: impl FnOnce(&mut dyn Read) -> T + Send + 'static,
) -> Result<T, EngineError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| EngineError::Config(format!("cannot start the I/O runtime: {e}")))?;
    runtime.block_on(async {
        let host = endpoint.host.clone();
        let api_error = |message: String| EngineError::Api { host: host.clone(), message };
        let (docker, tunnel) = connect::open(endpoint, timeout)?;
        let version = tokio::time::timeout(timeout, docker.version())
            .await
            .map_err(|_| EngineError::Timeout { host: host.clone(), seconds: timeout.as_secs() })
            .and_then(|reply| reply.map_err(|e| EngineError::Connect { host: host.clone(), message: e.to_string() }))
            .map_err(|e| connect::explain(e, tunnel.as_ref()))?;
        let server = version.api_version.as_deref().and_then(parse_api_version).ok_or_else(|| api_error("/version has no usable ApiVersion".into()))?;
        let server_min = version.min_api_version.as_deref().and_then(parse_api_version);
        let api = choose_api_version(server, server_min).map_err(&api_error)?;
        let docker = connect::versioned(docker, api);

        // The first chunk decides between "no such image" (an error now) and a stream.
        let mut stream = docker.export_image(image);
        let first = match stream.next().await {
            Some(Ok(chunk)) => chunk.to_vec(),
            Some(Err(bollard::errors::Error::DockerResponseServerError { status_code, message })) => {
                return Err(api_error(format!("exporting {image}: HTTP {status_code}: {message}")));
            }
            Some(Err(e)) => return Err(api_error(format!("exporting {image}: {e}"))),
            None => Vec::new(),
        };
        let (sender, receiver) = tokio::sync::mpsc::channel::<io::Result<Vec<u8>>>(CHANNEL_CHUNKS);
        let download = tokio::spawn(async move {
            while let Some(item) = stream.next().await {
                let item = item.map(|chunk| chunk.to_vec()).map_err(|e| io::Error::other(format!("image export stream: {e}")));
                let failed = item.is_err();
                // A closed channel means the reader stopped (an error or a limit): stop too.
                if sender.send(item).await.is_err() || failed {
                    break;
                }
            }
        });
        let reader = ChannelReader { receiver, current: first, position: 0 };
        let result = tokio::task::spawn_blocking(move || {
            let mut reader = reader;
            consume(&mut reader)
        })
        .await
        .map_err(|e| api_error(format!("the image reader failed: {e}")));
        download.abort();
        result
    })
}

/// The blocking end of the channel as a `Read`.
struct ChannelReader {
    receiver: tokio::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    position: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position >= self.current.len() {
            match self.receiver.blocking_recv() {
                Some(Ok(chunk)) => {
                    self.current = chunk;
                    self.position = 0;
                }
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.position);
        buf[..n].copy_from_slice(&self.current[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}
