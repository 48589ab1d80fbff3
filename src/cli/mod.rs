//! Command-line arguments, their resolution, one function per subcommand, and
//! the single place errors are rendered.

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::engine::{self, catalog};
use crate::error::{Error, Result};
use crate::ingest::raw::Encoding;
use crate::ingest::{self, IngestOptions, mapping::Mapping};
use crate::output::Format;
use crate::shell::{self, Shell};
use crate::warehouse::Warehouse;
use crate::{check, demo, generate};

/// resmap: where a school district's people, time and money go, in SQL.
#[derive(Debug, Parser)]
#[command(name = "resmap", version, about, long_about = None)]
pub struct Cli {
    /// Warehouse: a folder or object-store URL (env RESMAP_WAREHOUSE)
    #[arg(long, short = 'w', env = "RESMAP_WAREHOUSE", global = true)]
    warehouse: Option<String>,

    /// Output format: table, csv, json, ndjson, markdown
    #[arg(long, global = true, value_parser = parse_format)]
    format: Option<Format>,

    /// Run this SQL (repeatable); stop at the first failing statement
    #[arg(short = 'c', long = "command", value_name = "SQL")]
    commands: Vec<String>,

    /// Run the statements in FILE (repeatable); stop at the first failure
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Print only results: no row counts, notes or progress
    #[arg(short, long, global = true)]
    quiet: bool,

    /// Run the interactive shell even when input is not a terminal
    #[arg(short = 'i', long)]
    interactive: bool,

    /// Start-up file to run before the shell's first statement (default for
    /// the interactive shell: ~/.resmaprc, when it exists)
    #[arg(long, value_name = "FILE", conflicts_with = "no_rc")]
    rc: Option<PathBuf>,

    /// Run no start-up file
    #[arg(long)]
    no_rc: bool,

    /// Table results show at most this many rows (first and last halves; 0:
    /// all); on a terminal the default fits its height, elsewhere all rows
    #[arg(long, value_name = "N")]
    max_rows: Option<usize>,

    /// Table results fit this many characters, hiding middle columns (0: any
    /// width); on a terminal the default is its width, elsewhere any width
    #[arg(long, value_name = "N")]
    max_width: Option<usize>,

    /// Never page long results (default on a terminal: `$PAGER`, else `less -FRX`)
    #[arg(long)]
    no_pager: bool,

    /// After each result, say what made it: the statement, resmap's version
    /// and time, each warehouse table's version and a digest of its files
    #[arg(long, global = true)]
    provenance: bool,

    /// Most memory queries may hold (512M, 4G): beyond it sorts, joins and
    /// aggregations spill to temporary files
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::engine::parse_size)]
    memory_limit: Option<usize>,

    /// Read the warehouse as it was at this time (UTC): `2026-12-04`,
    /// `2026-12-04 18:30:00` or RFC 3339; reproduces an earlier answer
    #[arg(long, global = true, value_parser = parse_time)]
    as_of: Option<chrono::DateTime<chrono::Utc>>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read raw export files through a mapping into the warehouse
    Ingest(IngestArgs),
    /// Run a canned query
    Run(RunArgs),
    /// List the canned queries
    Queries,
    /// List the bundled mappings
    Mappings,
    /// Build the demo warehouse from bundled synthetic data and print headline metrics
    Demo(DemoArgs),
    /// Write the synthetic districts' raw export files
    Generate(GenerateArgs),
    /// Check the warehouse's data: findings by rule and severity
    Check(CheckArgs),
    /// Print the pseudonyms of student ids under the district's key, to re-link results
    Pseudonym(PseudonymArgs),
    /// Remove data files no table version needs (old versions, files a killed ingest left)
    Vacuum(VacuumArgs),
}

#[derive(Debug, Args)]
struct VacuumArgs {
    /// Keep files of versions replaced within this many hours (time travel
    /// with --as-of reaches back this far); 0 removes everything unneeded now,
    /// and must run while no ingest is writing
    #[arg(long, default_value_t = 168)]
    keep_hours: i64,
}

#[derive(Debug, Args)]
struct PseudonymArgs {
    /// File holding the district's secret key (else RESMAP_PSEUDONYM_KEY)
    #[arg(long = "pseudonym-key-file", alias = "key-file")]
    key_file: Option<PathBuf>,
    /// Student ids as the district's systems write them
    #[arg(required = true)]
    ids: Vec<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Only this district
    #[arg(long, short = 'd')]
    district: Option<String>,
    /// Only this ending school year
    #[arg(long, short = 'y')]
    year: Option<i32>,
    /// Exit with code 1 when a finding is at least this severe: warn or error
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<check::Severity>,
    /// Write every finding to this file (format from its extension: csv, json,
    /// ndjson, md; csv otherwise)
    #[arg(long)]
    out: Option<PathBuf>,
}

fn parse_severity(s: &str) -> std::result::Result<check::Severity, String> {
    s.parse::<check::Severity>().map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
struct IngestArgs {
    /// Mapping: a bundled name (see `resmap mappings`) or a path to a .sql file
    #[arg(long, short = 'm', required_unless_present = "manifest")]
    mapping: Option<String>,
    /// A CSV of `mapping,district,year,file` lines (files relative to it), as
    /// `resmap generate --scale` writes: each mapping's files in one commit
    #[arg(long, conflicts_with_all = ["mapping", "district", "year", "files"])]
    manifest: Option<PathBuf>,
    /// District of every row, when the mapping does not yield district_id
    #[arg(long, short = 'd')]
    district: Option<String>,
    /// Ending school year of every row (2024 = 2023-24), when the mapping does not yield it
    #[arg(long, short = 'y')]
    year: Option<i32>,
    /// Where to write rejected and excluded records (CSV)
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Stop without writing anything when more records than this are rejected
    #[arg(long, default_value_t = 1000)]
    max_rejects: u64,
    /// Encoding of the CSV files (utf-8 or cp1252), overriding the mapping's
    #[arg(long)]
    encoding: Option<String>,
    /// File holding the district's secret key for pseudonymising student ids
    /// (else the environment variable RESMAP_PSEUDONYM_KEY)
    #[arg(long)]
    pseudonym_key_file: Option<PathBuf>,
    /// Raw files (CSV or Parquet)
    #[arg(required_unless_present = "manifest")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Canned query name (see `resmap queries`)
    name: String,
    /// Parameter as NAME=VALUE (repeatable)
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    params: Vec<String>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Keep the generated raw exports in this folder (default: a temporary folder)
    #[arg(long)]
    exports: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Folder to write the export files into
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator (the demo uses the default)
    #[arg(long, default_value_t = generate::DEFAULT_SEED)]
    seed: u64,
    /// Inject one flaw per data-quality rule per district-year, listed in
    /// flaws.csv beside the files (for testing the checks)
    #[arg(long)]
    flaws: bool,
    /// With --flaws: inject this share (0-0.05) of what each rule checks
    /// (ledger lines, teachers, sections, students ...) instead of one
    #[arg(
        long,
        requires = "flaws",
        value_name = "SHARE",
        allow_negative_numbers = true
    )]
    flaw_rate: Option<f64>,
    /// Instead of the two demo districts, a state's worth: scale factor 1 is
    /// about 50,000 students in 100 schools, 100 a state of 5.5 million (the
    /// size mix of Texas's districts); writes manifest.csv for
    /// `resmap ingest --manifest`
    #[arg(long, value_name = "SF", conflicts_with = "flaws")]
    scale: Option<f64>,
    /// With --scale: this many school years, ending with 2023-24
    #[arg(long, requires = "scale", default_value_t = 2)]
    years: u32,
}

fn parse_time(s: &str) -> std::result::Result<chrono::DateTime<chrono::Utc>, String> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        // A date means the end of that day.
        if let Some(t) = d.and_hms_opt(23, 59, 59) {
            return Ok(t.and_utc());
        }
    }
    Err(format!(
        "{s:?} is not a time: use 2026-12-04, 2026-12-04 18:30:00 or RFC 3339"
    ))
}

fn parse_format(s: &str) -> std::result::Result<Format, String> {
    s.parse::<Format>().map_err(|e| e.to_string())
}

/// Stack of each runtime thread.
const WORKER_STACK_BYTES: usize = 512 << 20;

/// The folder `resmap demo` uses when no warehouse is given.
pub const DEMO_WAREHOUSE: &str = "demo-warehouse";

/// Parses `args`, runs the command, renders any error once, and returns the
/// exit code: 0 success, 1 a query or data failure, 2 a usage mistake.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Some(bytes) = cli.memory_limit {
        crate::engine::set_memory_limit(bytes);
    }
    let filter = if cli.quiet { "warn" } else { "info" };
    let _ = env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or(filter),
    )
    .format_timestamp(None)
    .format_target(false)
    .target(env_logger::Target::Stderr)
    .try_init();
    // Delta turns a replace predicate's list of districts into a chain of ORs
    // that some of its passes walk recursively: a national file (18,607
    // districts in the CCD directory) needs far more stack than the default.
    // Work runs on runtime threads with a large stack, reserved not committed.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = std::thread::Builder::new()
        .name("resmap".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || runtime.block_on(dispatch(cli)))
        .map_err(|e| Error::Internal(format!("cannot start the main thread: {e}")))
        .and_then(|t| {
            t.join()
                .unwrap_or_else(|_| Err(Error::Internal("the command panicked".into())))
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_usage() {
                ExitCode::from(2)
            } else if matches!(e, Error::Incomplete(_)) {
                ExitCode::from(3)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn is_broken_pipe(e: &Error) -> bool {
    match e {
        Error::At { source, .. } => is_broken_pipe(source),
        Error::Io { source, .. } => source.kind() == std::io::ErrorKind::BrokenPipe,
        Error::Arrow(datafusion::arrow::error::ArrowError::IoError(_, io)) => {
            io.kind() == std::io::ErrorKind::BrokenPipe
        }
        _ => false,
    }
}

fn warehouse_of(cli: &Cli) -> Result<Warehouse> {
    match &cli.warehouse {
        Some(w) if w.trim().is_empty() => Err(Error::Usage(
            "the warehouse is empty: pass --warehouse DIR or set RESMAP_WAREHOUSE".into(),
        )),
        Some(w) => Ok(match cli.as_of {
            Some(t) => Warehouse::new(w)?.as_of(t),
            None => Warehouse::new(w)?,
        }),
        None => Err(Error::Usage(
            "no warehouse: pass --warehouse DIR (or set RESMAP_WAREHOUSE); \
             `resmap demo` builds one in ./demo-warehouse"
                .into(),
        )),
    }
}

async fn open_shell(cli: &Cli) -> Result<Shell> {
    let warehouse = warehouse_of(cli)?;
    if warehouse.is_missing_local() {
        return Err(Error::Usage(format!(
            "no warehouse at {}: ingest into it first, or run `resmap demo`",
            warehouse.url()
        )));
    }
    let (ctx, _) = engine::open(&warehouse).await?;
    // `SELECT * FROM 'export.parquet'`: files by path, as DuckDB reads them
    let ctx = ctx.enable_url_table();
    let mut shell = Shell::new(ctx, cli.format.unwrap_or_default());
    shell.chatty = !cli.quiet;
    if cli.max_rows.is_some() || cli.max_width.is_some() {
        // 0 means no limit
        shell.fit = Some(crate::output::fit::Fit {
            max_rows: cli.max_rows.filter(|n| *n > 0),
            max_width: cli.max_width.filter(|n| *n > 0),
        });
    }
    if cli.provenance {
        shell.provenance = Some(
            warehouse
                .provenance()
                .await?
                .into_iter()
                .map(|(t, v, n, d)| format!("{t}: version {v}, {n} files, digest {d}"))
                .collect(),
        );
    }
    if cli.no_pager {
        shell.pager = false;
        shell.never_page = true;
    }
    if let Ok(dir) = warehouse.url().to_file_path() {
        shell.guard_warehouse(dir);
    }
    Ok(shell)
}

async fn dispatch(cli: Cli) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match &cli.command {
        Some(Command::Ingest(a)) => run_ingest(&cli, a).await,
        Some(Command::Run(a)) => {
            let mut shell = open_shell(&cli).await?;
            shell.run_canned(&a.name, &a.params, &mut stdout).await
        }
        Some(Command::Queries) => list_queries(&mut stdout),
        Some(Command::Mappings) => list_mappings(&mut stdout),
        Some(Command::Demo(a)) => {
            let location = cli
                .warehouse
                .clone()
                .unwrap_or_else(|| DEMO_WAREHOUSE.into());
            let warehouse = Warehouse::new(&location)?;
            demo::run(
                &warehouse,
                a.exports.clone(),
                cli.format.unwrap_or_default(),
                cli.quiet,
                &mut stdout,
            )
            .await
        }
        Some(Command::Check(a)) => {
            let shell = open_shell(&cli).await?;
            let opts = check::CheckOptions {
                district: a.district.clone(),
                year: a.year,
                fail_on: a.fail_on,
                out: a.out.clone(),
                format: cli.format.unwrap_or_default(),
            };
            check::run(shell.context(), &opts, &mut stdout).await
        }
        Some(Command::Pseudonym(a)) => {
            let key = ingest::pseudonym::PseudonymKey::load(a.key_file.as_deref())?
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no key: pass --key-file FILE or set {}",
                        ingest::pseudonym::KEY_ENV
                    ))
                })?;
            writeln!(stdout, "student_id,pseudonym")
                .map_err(|e| Error::io("<stdout>", e))?;
            for id in &a.ids {
                writeln!(stdout, "{},{}", id, key.pseudonym(id))
                    .map_err(|e| Error::io("<stdout>", e))?;
            }
            Ok(())
        }
        Some(Command::Vacuum(a)) => {
            if a.keep_hours < 0 {
                return Err(Error::Usage("--keep-hours cannot be negative".into()));
            }
            let warehouse = warehouse_of(&cli)?;
            if warehouse.is_missing_local() {
                return Err(Error::Usage(format!("no warehouse at {}", warehouse.url())));
            }
            let removed = warehouse
                .vacuum(chrono::Duration::hours(a.keep_hours))
                .await?;
            let total: usize = removed.iter().map(|(_, n)| n).sum();
            for (table, n) in &removed {
                if *n > 0 && !cli.quiet {
                    eprintln!("{table}: removed {n} file(s)");
                }
            }
            writeln!(stdout, "removed {total} file(s)")
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(())
        }
        Some(Command::Generate(a)) => {
            // a refused rate writes nothing
            generate::flaws::check_rate(a.flaw_rate)?;
            if let Some(sf) = a.scale {
                generate::scale::check_scale(sf)?;
                let years = generate::years_ending_last(a.years)?;
                let (out, seed, ys) = (a.out.clone(), a.seed, years.clone());
                let work = tokio::task::spawn_blocking(move || {
                    generate::write_scaled(&out, sf, seed, &ys)
                });
                let w = crate::output::with_progress("generating", async {
                    work.await
                        .map_err(|e| Error::Internal(format!("generator: {e}")))?
                })
                .await?;
                if !cli.quiet {
                    eprintln!(
                        "wrote {} files for {} districts, {} schools, {} students ({} years) \
                         to {}; ingest with: resmap ingest --manifest {}",
                        w.files,
                        w.districts,
                        w.schools,
                        w.students,
                        years.len(),
                        a.out.display(),
                        w.manifest.display()
                    );
                }
                return Ok(());
            }
            let written = generate::write_demo(&a.out, a.seed)?;
            // a manifest from an earlier run would list flaws these files lack
            let manifest = a.out.join("flaws.csv");
            if !a.flaws && manifest.exists() {
                std::fs::remove_file(&manifest).map_err(|e| Error::io(&manifest, e))?;
            }
            if a.flaws {
                let flaws = generate::flaws::inject(&a.out, a.flaw_rate)?;
                if !cli.quiet {
                    eprintln!("injected {} flaws (flaws.csv)", flaws.len());
                }
            }
            if !cli.quiet {
                eprintln!("wrote {} files to {}", written.len(), a.out.display());
            }
            Ok(())
        }
        None => {
            for f in &cli.files {
                if !f.is_file() {
                    return Err(Error::Usage(format!(
                        "-f {}: no such file",
                        f.display()
                    )));
                }
            }
            let mut shell = open_shell(&cli).await?;
            let interactive = cli.commands.is_empty()
                && cli.files.is_empty()
                && (cli.interactive || std::io::stdin().is_terminal());
            // The start-up file: --rc for any shell session, ~/.resmaprc for
            // the interactive one (scripts stay reproducible without it).
            let rc = match (&cli.rc, cli.no_rc, interactive) {
                (Some(f), _, _) => Some(f.clone()),
                (None, false, true) => dirs::home_dir()
                    .map(|h| h.join(".resmaprc"))
                    .filter(|f| f.is_file()),
                _ => None,
            };
            if let Some(f) = rc {
                let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?;
                let origin = f.display().to_string();
                if !shell.execute_text(&text, &origin, &mut stdout).await? {
                    return Ok(());
                }
            }
            if cli.commands.is_empty() && cli.files.is_empty() {
                if interactive {
                    drop(stdout);
                    return shell.repl(shell::history_path()).await;
                }
                // Piped input is a script: it stops at the first failure, with
                // the exit code saying so, and leaves the history alone.
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| Error::io("<stdin>", e))?;
                shell.execute_text(&text, "<stdin>", &mut stdout).await?;
                return Ok(());
            }
            for (i, c) in cli.commands.iter().enumerate() {
                let origin = format!("-c #{}", i + 1);
                if !shell.execute_text(c, &origin, &mut stdout).await? {
                    return Ok(());
                }
            }
            for f in &cli.files {
                let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?;
                let origin = f.display().to_string();
                if !shell.execute_text(&text, &origin, &mut stdout).await? {
                    return Ok(());
                }
            }
            Ok(())
        }
    }
}

async fn run_ingest(cli: &Cli, a: &IngestArgs) -> Result<()> {
    if cli.as_of.is_some() {
        return Err(Error::Usage(
            "--as-of reads the warehouse's past; an ingest writes its present".into(),
        ));
    }
    let warehouse = warehouse_of(cli)?;
    if let Some(manifest) = &a.manifest {
        return run_manifest(&warehouse, a, manifest).await;
    }
    let name = a.mapping.as_deref().unwrap_or_default();
    let mut mapping = Mapping::load(name)?;
    if let Some(e) = &a.encoding {
        mapping.encoding = Encoding::parse(e).ok_or_else(|| {
            Error::Usage(format!(
                "--encoding {e:?} is not known (use utf-8 or cp1252)"
            ))
        })?;
    }
    if let Some(d) = &a.district
        && (d.trim().is_empty() || d.trim() != d)
    {
        return Err(Error::Usage(format!(
            "--district {d:?} must be an id without surrounding spaces"
        )));
    }
    if let Some(d) = &a.district {
        ingest::check_district_id(d)
            .map_err(|why| Error::Usage(format!("--district: {why}")))?;
    }
    if let Some(y) = a.year
        && !(1900..=2100).contains(&y)
    {
        return Err(Error::Usage(format!(
            "--year {y} is not an ending school year (2024 = 2023-24)"
        )));
    }
    let label = format!("ingesting through {}", mapping.name);
    let key = ingest::pseudonym::PseudonymKey::load(a.pseudonym_key_file.as_deref())?;
    let report = crate::output::with_progress(
        &label,
        ingest::ingest(
            &warehouse,
            IngestOptions {
                mapping,
                files: a.files.clone(),
                district: a.district.clone(),
                year: a.year,
                rejects_path: a.rejects.clone(),
                max_rejects: a.max_rejects,
                pseudonym_key: key,
            },
        ),
    )
    .await?;
    print_report(&report);
    Ok(())
}

/// The summary of one commit; the command's result, so it goes to stdout.
fn print_report(report: &ingest::IngestReport) {
    let excluded = report
        .rows_excluded
        .map_or("unknown (the mapping drops source_line)".to_string(), |n| {
            n.to_string()
        });
    println!(
        "{}: read {} rows, wrote {}, rejected {}, excluded by the mapping {}; \
         {} district-year(s) replaced; version {} ({:.1} s)",
        report.table,
        report.rows_read,
        report.rows_written,
        report.rows_rejected,
        excluded,
        report.district_years,
        report.version,
        report.elapsed.as_secs_f64()
    );
    if let Some(path) = &report.rejects_file {
        println!("rejected and excluded records: {}", path.display());
    }
}

/// `resmap ingest --manifest`: every mapping's files in one commit each, in
/// the order the manifest first names the mappings.
async fn run_manifest(
    warehouse: &Warehouse,
    a: &IngestArgs,
    manifest: &Path,
) -> Result<()> {
    let base = manifest.parent().unwrap_or(Path::new("."));
    let mut reader = csv::Reader::from_path(manifest)
        .map_err(|e| Error::io(manifest, std::io::Error::other(e)))?;
    let bad = |line: u64, column: &str, why: String| {
        Error::Usage(format!(
            "{}:{line}: column {column}: {why}",
            manifest.display()
        ))
    };
    let headers = reader
        .headers()
        .map_err(|e| Error::io(manifest, std::io::Error::other(e)))?
        .clone();
    let want = ["mapping", "district", "year", "file"];
    if headers.iter().collect::<Vec<_>>() != want {
        return Err(bad(
            1,
            "1",
            format!("the header must be {}", want.join(",")),
        ));
    }
    let key = ingest::pseudonym::PseudonymKey::load(a.pseudonym_key_file.as_deref())?;
    let rejects_dir = a
        .rejects
        .clone()
        .unwrap_or_else(|| PathBuf::from("rejects"));
    let mut groups: Vec<(String, Vec<IngestOptions>)> = Vec::new();
    let mut mappings: std::collections::HashMap<String, Mapping> = Default::default();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(line, "?", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let (name, district, year, file) =
            (&record[0], &record[1], &record[2], &record[3]);
        ingest::check_district_id(district)
            .map_err(|why| bad(line, "2 (district)", why))?;
        let year: i32 = year
            .parse()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| {
                bad(
                    line,
                    "3 (year)",
                    format!("{year:?} is not an ending school year"),
                )
            })?;
        let path = base.join(file);
        if !path.is_file() {
            return Err(bad(
                line,
                "4 (file)",
                format!("{} is not a file", path.display()),
            ));
        }
        if !mappings.contains_key(name) {
            let m = Mapping::load(name)
                .map_err(|e| bad(line, "1 (mapping)", e.to_string()))?;
            mappings.insert(name.to_string(), m);
        }
        let job = IngestOptions {
            mapping: mappings[name].clone(),
            files: vec![path],
            district: Some(district.to_string()),
            year: Some(year),
            rejects_path: Some(rejects_dir.join(format!("{district}_{year}_{name}.csv"))),
            max_rejects: a.max_rejects,
            pseudonym_key: key.clone(),
        };
        match groups.iter_mut().find(|(m, _)| m == name) {
            Some((_, jobs)) => jobs.push(job),
            None => groups.push((name.to_string(), vec![job])),
        }
    }
    for (name, jobs) in groups {
        let label = format!("ingesting {} file(s) through {name}", jobs.len());
        let reports =
            crate::output::with_progress(&label, ingest::ingest_many(warehouse, jobs))
                .await?;
        for report in &reports {
            print_report(report);
        }
    }
    Ok(())
}

fn list_queries(out: &mut dyn Write) -> Result<()> {
    let io = |e| Error::io("<stdout>", e);
    for q in catalog::catalog()? {
        writeln!(out, "{}: {}", q.name, q.description).map_err(io)?;
        if !q.params.is_empty() {
            writeln!(out, "{}", q.usage()).map_err(io)?;
        }
        writeln!(out, "  rounding: {}", q.rounding).map_err(io)?;
    }
    Ok(())
}

fn list_mappings(out: &mut dyn Write) -> Result<()> {
    let io = |e| Error::io("<stdout>", e);
    for (name, origin, text) in ingest::mapping::bundled() {
        let m = Mapping::parse(name, origin, text)?;
        writeln!(out, "{name} -> {}: {}", m.target.name, m.description).map_err(io)?;
    }
    Ok(())
}
