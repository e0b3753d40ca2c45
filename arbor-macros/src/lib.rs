//! Arbor's attribute macros. Use them through `arbor`: `#[arbor::cache(...)]`.

#![warn(missing_docs)]

mod api;

use proc_macro::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprArray, ExprLit, FnArg, ItemFn, Lit, Meta, Pat, Token};

/// Declares, for the OpenAPI document, what a handler's signature cannot say: its body
/// (`body = T`, JSON), its query (`query = T`), and its answers: `201 = T` (JSON), a status
/// alone (`404`: an error answer `{"error": ...}` from 400 up, no body below). The declared
/// answers add to those the return type says, and replace the "any answer" of an untyped
/// `Response` (or of `impl IntoResponse`, which cannot say anything).
///
/// ```ignore
/// #[arbor::api(body = NewComment, 400, 404)]
/// pub async fn PATCH(mut req: Request) -> Result<Json<Comment>> { ... }
/// ```
///
/// The types must derive `schemars::JsonSchema`. The function itself is unchanged.
#[proc_macro_attribute]
pub fn api(attr: TokenStream, item: TokenStream) -> TokenStream {
    match api::expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// Memoises an async function in the app's cache (`'use cache'`, `unstable_cache`).
///
/// The result is keyed by the function's path and its serialised arguments, tagged with
/// `tags` (for `revalidate_tag`), and stale after `revalidate` seconds (never when absent).
/// Arguments must be owned and `Serialize`; the result `Serialize + DeserializeOwned`.
///
/// ```ignore
/// #[arbor::cache(tags = ["posts"], revalidate = 60)]
/// async fn post_count(author: String) -> u64 {
///     db::count_posts(&author).await
/// }
/// ```
#[proc_macro_attribute]
pub fn cache(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> syn::Result<proc_macro2::TokenStream> {
    let mut tags: Vec<String> = Vec::new();
    let mut revalidate: Option<u64> = None;
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(attr)?;
    for meta in metas {
        let Meta::NameValue(nv) = &meta else {
            return Err(syn::Error::new_spanned(
                meta,
                "expected `tags = [\"...\"]` or `revalidate = <seconds>`",
            ));
        };
        if nv.path.is_ident("tags") {
            let Expr::Array(ExprArray { elems, .. }) = &nv.value else {
                return Err(syn::Error::new_spanned(
                    &nv.value,
                    "`tags` is a list of strings: `tags = [\"a\", \"b\"]`",
                ));
            };
            for elem in elems {
                match elem {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => tags.push(s.value()),
                    other => {
                        return Err(syn::Error::new_spanned(other, "a tag is a string literal"))
                    }
                }
            }
        } else if nv.path.is_ident("revalidate") {
            match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Int(n), ..
                }) => revalidate = Some(n.base10_parse()?),
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "`revalidate` is a number of seconds",
                    ))
                }
            }
        } else {
            return Err(syn::Error::new_spanned(
                &nv.path,
                "unknown option: use `tags` or `revalidate`",
            ));
        }
    }

    let function: ItemFn = syn::parse2(item)?;
    if function.sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            function.sig.fn_token,
            "#[cache] memoises async functions",
        ));
    }
    let mut args = Vec::new();
    for input in &function.sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                return Err(syn::Error::new_spanned(
                    r,
                    "#[cache] functions take no `self`",
                ))
            }
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(ident) => args.push(ident.ident.clone()),
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "#[cache] arguments are plain names",
                    ))
                }
            },
        }
    }
    let attrs = &function.attrs;
    let vis = &function.vis;
    let sig = &function.sig;
    let name = &sig.ident;
    let body = &function.block;
    let revalidate = match revalidate {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            let __arbor_key = ::arbor::__codegen::cache_key(
                ::std::concat!(::std::module_path!(), "::", ::std::stringify!(#name)),
                &(#(&#args,)*),
            );
            ::arbor::__codegen::memoize(__arbor_key, &[#(#tags),*], #revalidate, async move #body).await
        }
    })
}
