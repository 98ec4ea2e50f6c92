//! The setup every HTTP server of the toolkit's tests shares: a listener on
//! 127.0.0.1 handed to a tokio runtime of its own, and the loop that serves
//! each connection with HTTP/1.1. [`LambdaProcess`](super::LambdaProcess)'s
//! runtime API, cognito-trigger-local's invoke API and the workspace's test
//! servers are built on it; not a stable API.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::runtime::{Builder, Runtime};

/// Listens on 127.0.0.1:`port` (0: any free port), on a runtime built by
/// `runtime` (which must enable I/O): the runtime, the listener and its
/// address.
pub fn bind(port: u16, runtime: &mut Builder) -> io::Result<(Runtime, TcpListener, SocketAddr)> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let runtime = runtime.build()?;
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)
    };
    match listener {
        Ok(listener) => Ok((runtime, listener, address)),
        Err(error) => {
            // A plain drop would panic if the caller is async code.
            runtime.shutdown_background();
            Err(error)
        }
    }
}

/// Serves every connection `listener` accepts, each on a task of its own,
/// with `answer` for each request, until the runtime is dropped; an error
/// from `answer` closes its connection.
pub async fn serve<F, R, E>(listener: TcpListener, answer: F)
where
    F: Fn(Request<Incoming>) -> R + Clone + Send + 'static,
    R: Future<Output = Result<Response<Full<Bytes>>, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let answer = answer.clone();
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}
