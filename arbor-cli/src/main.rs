//! `arbor`: start a project, serve it while you edit it, and see the routes its folders make.
//!
//! ```text
//! arbor new my-app             # a project that builds, serves and passes its tests
//! arbor dev                    # serve, rebuild on save, swap servers without dropping a request
//! arbor routes [--json]        # the route table, as `next build` prints it
//! arbor build                  # a release build, then the route table
//! arbor openapi [--check]      # the OpenAPI 3.1 document, written to openapi.json
//! arbor client --ts DIR        # a typed TypeScript client, DIR/client.ts
//! ```

mod dev;
mod error;
mod new;
mod openapi;
mod project;
mod routes;
mod style;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::CliError;

/// The Arbor command: Next.js's route handlers in Rust, from an `app/` folder.
#[derive(Debug, Parser)]
#[command(name = "arbor", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes a new project into DIR, ready to `cargo run` and `cargo test`.
    New {
        /// The folder to create (it must not exist, or be empty).
        dir: PathBuf,
        /// What the project starts with.
        #[arg(long, value_enum, default_value_t = Template::Minimal)]
        template: Template,
        /// Depend on this published version of Arbor instead of the sources `arbor` was
        /// built from.
        #[arg(long, value_name = "X")]
        arbor_version: Option<String>,
    },
    /// Serves the app, rebuilds it when a file changes, and swaps servers without refusing
    /// or resetting a request; a build that fails keeps the previous server.
    Dev {
        /// The package to serve (default: the one in the current folder).
        #[arg(short, long)]
        package: Option<String>,
        /// The port to listen on (default: `PORT`, else 3000).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Prints the routes the app's folders define: URL, kind, methods, proxy, file.
    Routes {
        /// The package (default: the one in the current folder).
        #[arg(short, long)]
        package: Option<String>,
        /// The same rows as JSON, for tools.
        #[arg(long)]
        json: bool,
    },
    /// Builds the app for release, then prints its route table.
    Build {
        /// The package (default: the one in the current folder).
        #[arg(short, long)]
        package: Option<String>,
    },
    /// Writes the app's OpenAPI 3.1 document (`OPENAPI` in arbor.config.rs) to openapi.json.
    Openapi {
        /// The package (default: the one in the current folder).
        #[arg(short, long)]
        package: Option<String>,
        /// Where to write it (default: openapi.json beside Cargo.toml).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Writes nothing: fails when the file differs from the routes (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Writes a typed TypeScript client of the app's API: one fetch-based module, DIR/client.ts.
    Client {
        /// The package (default: the one in the current folder).
        #[arg(short, long)]
        package: Option<String>,
        /// The folder to write `client.ts` into.
        #[arg(long, value_name = "DIR")]
        ts: PathBuf,
    },
}

/// The starting points of `arbor new`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Template {
    /// A static route and a dynamic one, with a test.
    Minimal,
    /// The comments API on SQLite (create, read, update, delete) with a proxy and a test.
    Api,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::New {
            dir,
            template,
            arbor_version,
        } => {
            let template = match template {
                Template::Minimal => new::Template::Minimal,
                Template::Api => new::Template::Api,
            };
            new::run(&dir, template, arbor_version.as_deref())
        }
        Command::Dev { package, port } => dev::run(package.as_deref(), port),
        Command::Routes { package, json } => routes::run(package.as_deref(), json),
        Command::Build { package } => routes::build(package.as_deref()),
        Command::Openapi {
            package,
            out,
            check,
        } => openapi::run(package.as_deref(), out, check),
        Command::Client { package, ts } => openapi::client(package.as_deref(), &ts),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{} {err}", style::error("error:"));
            ExitCode::FAILURE
        }
    }
}

/// What every command returns.
type Result<T = ()> = std::result::Result<T, CliError>;
