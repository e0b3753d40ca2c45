//! `next.config.ts` of the reference app: its redirects, rewrites and headers.
//! `${UPSTREAM_URL}` is the loopback upstream of the recording.

use arbor::config::{Has, Headers, Redirect, Rewrite, Rewrites};

pub const REDIRECTS: &[Redirect] = &[
    Redirect::permanent("/cr/perm", "/dest"),
    Redirect::temporary("/cr/temp", "/dest"),
    Redirect::temporary("/cr/param/:slug", "/dest/:slug"),
    Redirect::temporary("/cr/splat/:path*", "/dest/:path*"),
    Redirect::temporary("/cr/num/:id(\\d{1,})", "/dest/num-:id"),
    Redirect::temporary("/cr/dest-query", "/dest?added=1"),
    Redirect::temporary("/cr/has-header-value", "/dest/user-:user")
        .has(&[Has::header("x-user").value("(?<user>[a-z]+)")]),
    Redirect::temporary("/cr/has-cookie", "/dest?via=cookie")
        .has(&[Has::cookie("session").value("yes")]),
    Redirect::temporary("/cr/has-query", "/dest?via=query").has(&[Has::query("go")]),
    Redirect::temporary("/cr/has-host", "/dest?via=host").has(&[Has::host("127.0.0.1")]),
    Redirect::temporary("/cr/missing-cookie", "/dest?via=missing")
        .missing(&[Has::cookie("session")]),
    Redirect::permanent("/cr/external/:p", "${UPSTREAM_URL}/ext/:p?from=redirect"),
    // a route handler exists at app/route-shadowed/route.rs
    Redirect::temporary("/route-shadowed", "/dest?shadowed=1"),
    // a public file exists at public/shadowed.txt
    Redirect::temporary("/shadowed.txt", "/dest?public=shadowed"),
    // the order group: a redirect beats the proxy
    Redirect::temporary("/order/redirected", "/order/fs-route?from=redirect"),
];

pub const REWRITES: Rewrites = Rewrites {
    before_files: &[
        Rewrite::new("/rw/before-route", "/rw-target/before"),
        Rewrite::new("/rw/has-header", "/rw-target/has-header").has(&[Has::header("x-rw")]),
        Rewrite::new("/hello.txt", "/rw-target/public-override").has(&[Has::query("rw")]),
        Rewrite::new("/order/before", "/order/fs-route?from=beforeFiles"),
        Rewrite::new(
            "/order/shadow-before",
            "/order/after-target?from=beforeFiles",
        ),
        Rewrite::new(
            "/order/public.txt",
            "/order/after-target?from=beforeFiles-public",
        )
        .has(&[Has::query("rw")]),
    ],
    after_files: &[
        Rewrite::new("/rw/param/:id", "/rw-target/:id"),
        Rewrite::new("/rw/splat/:path*", "/rw-target/splat/:path*"),
        Rewrite::new("/rw/unused/:id", "/rw-target/unused?fixed=1"),
        Rewrite::new("/rw/query-capture", "/rw-target/v/:ver")
            .has(&[Has::query("v").value("(?<ver>\\d+)")]),
        Rewrite::new("/rw/external/:path*", "${UPSTREAM_URL}/proxied/:path*"),
        Rewrite::new("/rw/after-route", "/rw-target/after"),
        Rewrite::new("/rw/dyn/special", "/rw-target/afterfiles-dyn"),
        Rewrite::new("/hello.txt", "/rw-target/should-not-apply"),
        Rewrite::new(
            "/order/fs-route",
            "/order/after-target?from=afterFiles-should-not-apply",
        ),
        Rewrite::new("/order/dyn/special", "/order/after-target?from=afterFiles"),
        Rewrite::new("/order/after-only", "/order/after-target?from=afterFiles"),
        Rewrite::new(
            "/order/public.txt",
            "/order/after-target?from=afterFiles-should-not-apply",
        ),
    ],
    fallback: &[
        Rewrite::new("/fb/:path*", "/rw-target/fallback/:path*"),
        Rewrite::new("/order/:path*", "/order/fallback-target/:path*"),
    ],
};

pub const HEADERS: &[Headers] = &[
    Headers::new("/ch/:path*", &[("x-ch-all", "all"), ("x-dup", "first-rule")]),
    Headers::new("/ch/specific", &[("x-ch-specific", "yes"), ("x-dup", "second-rule")]),
    Headers::new("/ch/param/:id", &[("x-ch-param", "id-:id")]),
    Headers::new("/ch/has", &[("x-ch-has", "matched")]).has(&[Has::header("x-want")]),
    Headers::new("/ch/has", &[("x-ch-query", "q-:qv")]).has(&[Has::query("q").value("(?<qv>.*)")]),
    Headers::new("/ch/has", &[("x-ch-missing", "no-nope-cookie")]).missing(&[Has::cookie("nope")]),
    Headers::new(
        "/ch/handler",
        &[
            ("x-shared", "from-config"),
            ("cache-control", "public, max-age=60"),
            ("content-type", "text/x-from-config"),
        ],
    ),
    Headers::new("/ch/set-cookie", &[("set-cookie", "cfg=1; Path=/")]),
    Headers::new("/ch/vary", &[("vary", "x-custom")]),
    Headers::new("/ch/proxy/:path*", &[("x-ch-proxy", "config"), ("x-ch-config-only", "yes")]),
    Headers::new(
        "/ch/missing-route",
        &[("x-on-404", "yes"), ("cache-control", "public, max-age=5")],
    ),
    Headers::new(
        "/hello.txt",
        &[("x-public", "config"), ("cache-control", "public, max-age=3600")],
    ),
    Headers::new("/cr/perm", &[("x-on-redirect", "yes")]),
    Headers::new("/rw/param/:id", &[("x-on-rewrite-source", "src-:id")]),
    Headers::new("/rw-target/:path*", &[("x-on-rewrite-destination", "yes")]),
    Headers::new("/order/:path*", &[("x-order-config", "yes"), ("x-order-conflict", "config")]),
    // CORS through config headers, as Next.js's docs suggest
    Headers::new(
        "/cors-config/:path*",
        &[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET,OPTIONS"),
        ],
    ),
];
