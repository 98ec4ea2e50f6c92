//! The workspace's test plumbing, not published: [`http`], a blocking
//! HTTP/1.1 client for the servers under test and a [`Server`](http::Server)
//! that stands in for an endpoint a function calls; [`emulator`],
//! cognito-local and moto as child processes on 127.0.0.1.

pub mod emulator;
pub mod http;
