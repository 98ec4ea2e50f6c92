//! The floor of the whole-process figures: a trigger with no runtime, no
//! JSON and no logging, only std's blocking socket. It answers each event
//! with the event itself, `autoConfirmUser` flipped in place, so whatever
//! it costs (exec, loading, the HTTP round trips, the harness) any trigger
//! binary costs too; `run.sh` reports how far the other two stand above it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

/// Reads one HTTP response: the request ID header (if any) and the body.
fn read_response(reader: &mut impl BufRead) -> std::io::Result<(String, Vec<u8>)> {
    let (mut id, mut length, mut line) = (String::new(), 0, String::new());
    reader.read_line(&mut line)?;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().map_err(std::io::Error::other)?;
        } else if name.eq_ignore_ascii_case("lambda-runtime-aws-request-id") {
            id = value.trim().to_owned();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((id, body))
}

fn main() -> std::io::Result<()> {
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API").map_err(std::io::Error::other)?;
    let stream = TcpStream::connect(&api)?;
    stream.set_nodelay(true)?;
    let (mut writer, mut reader) = (stream.try_clone()?, BufReader::new(stream));
    let (from, to) = (br#""autoConfirmUser":false"#, br#""autoConfirmUser":true "#);
    loop {
        write!(
            writer,
            "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {api}\r\n\r\n"
        )?;
        let (id, mut event) = read_response(&mut reader)?;
        if let Some(at) = event.windows(from.len()).position(|w| w == from) {
            event[at..at + to.len()].copy_from_slice(to);
        }
        let mut request = format!(
            "POST /2018-06-01/runtime/invocation/{id}/response HTTP/1.1\r\nHost: {api}\r\nContent-Length: {}\r\n\r\n",
            event.len()
        )
        .into_bytes();
        request.extend_from_slice(&event);
        writer.write_all(&request)?;
        read_response(&mut reader)?;
    }
}
