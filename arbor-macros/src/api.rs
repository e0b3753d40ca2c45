//! `#[arbor::api(...)]`: what a handler's signature cannot say, for the OpenAPI document.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, ItemFn, LitInt, ReturnType, Token, Type};

/// One item of the list: `body = T`, `query = T`, `201 = T`, or a status alone (`404`).
enum Declared {
    Body(Type),
    Query(Type),
    Answer(u16, Option<Type>),
}

impl Parse for Declared {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitInt) {
            let lit: LitInt = input.parse()?;
            let status: u16 = lit.base10_parse()?;
            if !(100..=599).contains(&status) {
                return Err(syn::Error::new(lit.span(), "a status is from 100 to 599"));
            }
            let ty = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse()?)
            } else {
                None
            };
            return Ok(Declared::Answer(status, ty));
        }
        let name: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let ty: Type = input.parse()?;
        match name.to_string().as_str() {
            "body" => Ok(Declared::Body(ty)),
            "query" => Ok(Declared::Query(ty)),
            _ => Err(syn::Error::new(
                name.span(),
                "expected `body = T`, `query = T`, `201 = T` or a status alone (`404`)",
            )),
        }
    }
}

pub fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let declared =
        syn::parse::Parser::parse2(Punctuated::<Declared, Token![,]>::parse_terminated, attr)?;
    let function: ItemFn = syn::parse2(item)?;
    let name = format_ident!("__arbor_api_{}", function.sig.ident);
    let mut steps = Vec::new();
    let mut answers = Vec::new();
    for item in declared {
        match item {
            Declared::Body(ty) => steps.push(quote!(op.json_body::<#ty>();)),
            Declared::Query(ty) => steps.push(quote!(op.query::<#ty>();)),
            Declared::Answer(status, Some(ty)) => {
                answers.push(quote!(op.response::<#ty>(#status);))
            }
            Declared::Answer(status, None) if status >= 400 => {
                answers.push(quote!(op.error(#status);))
            }
            Declared::Answer(status, None) => answers.push(quote!(op.empty(#status);)),
        }
    }
    // The return type's answers first (an `impl Trait` cannot be named: only the declared
    // ones then), the declared ones on top.
    let returned = match &function.sig.output {
        ReturnType::Default => Some(quote!(())),
        ReturnType::Type(_, ty) if matches!(**ty, Type::ImplTrait(_)) => None,
        ReturnType::Type(_, ty) => Some(quote!(#ty)),
    }
    .map(|ty| quote!(<#ty as ::arbor::openapi::Output>::describe(op);));
    let declared = (!answers.is_empty()).then(|| quote!(op.declared();));
    let answers = quote!(#returned #declared #(#answers)*);
    let vis = &function.vis;
    Ok(quote! {
        #function

        #[doc(hidden)]
        #[allow(non_snake_case)]
        #vis fn #name(op: &mut ::arbor::openapi::Operation<'_>) {
            #(#steps)*
            #answers
        }
    })
}
