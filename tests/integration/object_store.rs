//! A warehouse in an S3 bucket: ingest, the shell and `check` against a real
//! S3-compatible server (moto's standalone server, from PyPI: `pip install
//! "moto[server]"`) started here on loopback, with the credentials and
//! endpoint in the environment as a user would set them. `.ci/run` installs
//! it; without it these tests skip, except under CI where they fail.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{csv_rows, demo_warehouse, resmap, scratch};

/// The S3 server of one test, stopped when dropped.
struct S3Server {
    child: Child,
    port: u16,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    /// Starts moto's server on a free loopback port with one empty bucket;
    /// `None` (with a message) when moto is not installed outside CI.
    fn start(bucket: &str) -> Option<S3Server> {
        let installed = Command::new("python3")
            .args(["-c", "import moto.server, flask"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "CI=true but moto's S3 server is missing: pip install \"moto[server]\""
                );
            }
            eprintln!(
                "skipping: moto's S3 server is not installed (pip install \"moto[server]\")"
            );
            return None;
        }
        // a free port: bind, note it, let go (moto binds it a moment later)
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto's server starts");
        let server = S3Server { child, port };
        let started = Instant::now();
        loop {
            if let Ok(status) = server.request("PUT", &format!("/{bucket}")) {
                assert_eq!(status, 200, "creating bucket {bucket}");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto's server did not answer on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(server)
    }

    /// One unsigned HTTP request (moto checks no signatures); its status code.
    fn request(&self, method: &str, path: &str) -> std::io::Result<u16> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n",
            self.port
        )?;
        let mut reply = String::new();
        s.read_to_string(&mut reply)?;
        reply
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not HTTP: {reply:?}")))
    }

    /// The keys in `bucket` under `prefix`, listed by boto3 (moto's own
    /// dependency), signed with the test's credentials.
    fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let script = format!(
            "import boto3\n\
             s3 = boto3.client('s3', endpoint_url='http://127.0.0.1:{}', \
             aws_access_key_id='resmap-test', aws_secret_access_key='resmap-test-secret', \
             region_name='us-east-1')\n\
             for page in s3.get_paginator('list_objects_v2').paginate(Bucket='{bucket}', Prefix='{prefix}'):\n\
             \x20   for o in page.get('Contents', []): print(o['Key'])\n",
            self.port
        );
        let out = Command::new("python3")
            .args(["-c", &script])
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// `resmap` with the server's endpoint and credentials in its environment.
    fn resmap(&self) -> Command {
        let mut c = resmap();
        c.env(
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", self.port),
        )
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "resmap-test")
        .env("AWS_SECRET_ACCESS_KEY", "resmap-test-secret")
        .env("AWS_REGION", "us-east-1");
        c
    }

    fn run(&self, args: &[&str], code: i32) -> Output {
        let out = self.resmap().args(args).output().expect("resmap runs");
        assert_eq!(
            out.status.code(),
            Some(code),
            "resmap {args:?}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// The demo built in a bucket answers as the demo built in a folder: the
/// headline, a query in the shell, and the data checks.
#[test]
fn the_demo_in_a_bucket_answers_as_in_a_folder() {
    let Some(s3) = S3Server::start("resmap-demo") else {
        return;
    };
    let url = "s3://resmap-demo/state/warehouse";
    let local = demo_warehouse().to_str().unwrap().to_string();
    let headline = text(&s3.run(&["demo", "-q", "-w", url, "--format", "csv"], 0));
    let local_headline = text(&crate::common::run_expect(
        &["-w", &local, "--format", "csv", "run", "district_overview"],
        0,
    ));
    assert_eq!(headline, local_headline);
    assert!(csv_rows(&headline).len() > 2, "{headline}");

    let query = "SELECT district_id, school_year, count(*) AS lines, sum(amount) AS total \
                 FROM gl_line GROUP BY 1, 2 ORDER BY 1, 2";
    let remote = text(&s3.run(&["-w", url, "--format", "csv", "-c", query], 0));
    let here = text(&crate::common::run_expect(
        &["-w", &local, "--format", "csv", "-c", query],
        0,
    ));
    assert_eq!(remote, here);

    let check = text(&s3.run(&["-w", url, "--format", "csv", "check"], 0));
    let local_check = text(&crate::common::run_expect(
        &["-w", &local, "--format", "csv", "check"],
        0,
    ));
    assert_eq!(check, local_check);

    // the Delta log and the data are in the bucket
    let keys = s3.keys("resmap-demo", "state/warehouse/gl_line/");
    assert!(
        keys.iter()
            .any(|k| k.ends_with("_delta_log/00000000000000000000.json")),
        "{keys:?}"
    );
    assert!(keys.iter().any(|k| k.ends_with(".parquet")), "{keys:?}");
}

/// Four ingests of different district-years into one new table at once: every
/// commit lands (the losers of each race retry), none overwrites another. A
/// store that let a second writer replace a commit file would lose rows here.
#[test]
fn concurrent_writers_to_a_bucket_lose_nothing() {
    let Some(s3) = S3Server::start("resmap-race") else {
        return;
    };
    let dir = scratch("s3-race");
    let exports = dir.join("exports");
    crate::common::run_expect(&["generate", "-q", "--out", exports.to_str().unwrap()], 0);
    let url = "s3://resmap-race/wh";
    let gl = |d: &str, y: &str| exports.join(format!("{d}_{y}_gl.csv"));
    let jobs = [
        ("DEMO01", "2023"),
        ("DEMO01", "2024"),
        ("DEMO02", "2023"),
        ("DEMO02", "2024"),
    ];
    let children: Vec<Child> = jobs
        .iter()
        .map(|(d, y)| {
            s3.resmap()
                .args(["ingest", "-q", "-w", url, "-m", "demo_gl", "-d", d, "-y", y])
                .arg(gl(d, y))
                .arg("--rejects")
                .arg(dir.join(format!("rejects_{d}_{y}.csv")))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // each district-year as many lines as its file has records
    let counts = csv_rows(&text(&s3.run(
        &[
            "-w",
            url,
            "--format",
            "csv",
            "-c",
            "SELECT district_id, school_year, count(*) FROM gl_line GROUP BY 1, 2 ORDER BY 1, 2",
        ],
        0,
    )));
    assert_eq!(counts.len(), 5, "{counts:?}");
    for (row, (d, y)) in counts[1..].iter().zip(jobs) {
        let records = std::fs::read_to_string(gl(d, y)).unwrap().lines().count() - 1;
        assert_eq!(row[..2], [d.to_string(), y.to_string()]);
        assert_eq!(row[2], records.to_string(), "{d} {y}");
    }
    // four commits, versions 0-3: each writer has its own
    let commits: Vec<String> = s3
        .keys("resmap-race", "wh/gl_line/_delta_log/")
        .into_iter()
        .filter(|k| k.ends_with(".json"))
        .collect();
    let want: Vec<String> = (0..4)
        .map(|v| format!("wh/gl_line/_delta_log/{v:020}.json"))
        .collect();
    assert_eq!(commits, want);
}

/// A bucket that does not exist, or a scheme resmap cannot use, is a clear error.
#[test]
fn a_missing_bucket_or_unknown_scheme_is_a_clear_error() {
    let out = resmap()
        .args(["-w", "gs://bucket/wh", "-c", "SELECT 1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gs:// is not a warehouse location"), "{err}");

    let Some(s3) = S3Server::start("resmap-other") else {
        return;
    };
    let dir = scratch("s3-missing");
    let exports = dir.join("exports");
    crate::common::run_expect(&["generate", "-q", "--out", exports.to_str().unwrap()], 0);
    let out = s3.run(
        &[
            "ingest",
            "-q",
            "-w",
            "s3://no-such-bucket/wh",
            "-m",
            "demo_gl",
            "-d",
            "DEMO01",
            "-y",
            "2023",
            exports.join("DEMO01_2023_gl.csv").to_str().unwrap(),
        ],
        1,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-bucket"), "{err}");
}
