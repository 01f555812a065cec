//! The logs: JSON lines whose request id is the operation id on error pages, and never a password or
//! a form token. A test binary of its own, because it installs the process-wide log subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::StatusCode;
use school::access::Role;
use support::{Client, Options, PASSWORD, Server, databases, read};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The same subscriber settings as `web::init_logging`, writing into memory.
fn captured() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .json()
            .with_env_filter("info")
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(move || writer.clone())
            .init();
        logs
    })
}

fn lines_with(needle: &str) -> Vec<serde_json::Value> {
    let text = String::from_utf8(captured().0.lock().unwrap().clone()).unwrap();
    text.lines().filter(|l| l.contains(needle)).map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test]
async fn the_operation_id_leads_to_the_log_line_and_no_secret_is_logged() {
    let logs = captured();
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut teacher = Client::signed_in(&server, "teacher@school.example").await;
        let dashboard = teacher.get("/").await.body;
        let csrf = teacher.csrf.clone().expect("the dashboard has a sign-out form");
        assert!(dashboard.contains(&csrf));

        let id = format!("trace-{}", hex::encode(rand::random::<[u8; 6]>()));
        let http = reqwest::Client::new();
        let page = read(http.get(server.url("/no/such/page")).header("x-request-id", &id).send().await.unwrap()).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains(&id));

        let lines = lines_with(&id);
        let response = lines.iter().find(|l| l["fields"]["message"] == "response").expect("a response line");
        assert_eq!(response["span"]["request_id"], id.as_str());
        assert_eq!(response["fields"]["status"], 404);
        assert_eq!(response["span"]["path"], "/no/such/page");

        let all = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
        assert!(all.contains(r#""route":"/sign-in""#), "sign-in requests are logged");
        assert!(!all.contains(PASSWORD), "a password reached the logs");
        assert!(!all.contains(&csrf), "a form token reached the logs");
        server.stop().await;
    }
}
