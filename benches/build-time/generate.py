#!/usr/bin/env python3
"""Writes an Arbor app with N routes (static, [param] and catch-all mixed) into a folder.

usage: generate.py N DIR ARBOR_ROOT
"""
import os
import sys

n, out, root = int(sys.argv[1]), sys.argv[2], os.path.abspath(sys.argv[3])
os.makedirs(os.path.join(out, "src"), exist_ok=True)
with open(os.path.join(out, "Cargo.toml"), "w") as f:
    f.write(f"""[package]
name = "routes{n}"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
arbor = {{ path = "{root}/arbor" }}
serde_json = "1"
tokio = {{ version = "1", features = ["rt-multi-thread", "macros"] }}

[build-dependencies]
arbor-build = {{ path = "{root}/arbor-build" }}
""")
with open(os.path.join(out, "build.rs"), "w") as f:
    f.write("fn main() {\n    arbor_build::generate();\n}\n")
with open(os.path.join(out, "src", "main.rs"), "w") as f:
    f.write("arbor::app!();\n\n#[tokio::main]\nasync fn main() -> std::io::Result<()> {\n"
            "    arbor::serve(app::router()).await\n}\n")

STATIC = """use arbor::prelude::*;

pub async fn GET() -> Response {{
    Response::text("{i}")
}}
"""
DYNAMIC = """use arbor::prelude::*;

use super::Params;

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Response {{
    Response::json(&ctx.params)
}}

pub async fn POST(mut req: Request, _ctx: RouteContext<Params>) -> Result<Response> {{
    let body: serde_json::Value = req.json().await?;
    Ok(Response::json(&body).with_status(StatusCode::CREATED))
}}
"""
for i in range(n):
    group = f"g{i // 50}"
    if i % 10 == 9:
        folder, text = os.path.join(group, f"c{i}", "[...rest]"), DYNAMIC
    elif i % 2 == 1:
        folder, text = os.path.join(group, f"d{i}", "[id]"), DYNAMIC
    else:
        folder, text = os.path.join(group, f"s{i}"), STATIC
    path = os.path.join(out, "app", folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "route.rs"), "w") as f:
        f.write(text.format(i=i))
