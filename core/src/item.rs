//! Items read as token trees: their attributes, their head (what comes before
//! the body) and their body, never parsed further.
//!
//! The scanner and the macro look at a function's attributes and name only.
//! Parsing whole items with syn would recurse once per level of nesting in
//! the bodies and types, without a limit: a deep enough body overflowed the
//! stack of rustc or of the build script. A flat walk over the top-level
//! token trees needs no recursion (proc-macro2 lexes and drops groups
//! without it too).

use proc_macro2::{Delimiter, Group, Ident, Punct, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// An outer attribute, `#[...]`.
pub struct Attribute {
    /// The `#`.
    pub pound: Punct,
    /// The `[...]`, with what is inside.
    pub brackets: Group,
}

impl Attribute {
    /// The span of the whole attribute where spans can be joined, else of its `#`.
    pub fn span(&self) -> Span {
        let start = self.pound.span();
        start.join(self.brackets.span()).unwrap_or(start)
    }
}

impl ToTokens for Attribute {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.pound.to_tokens(tokens);
        self.brackets.to_tokens(tokens);
    }
}

/// One item: its outer attributes, its head, and its body in braces if it
/// has one (an item without ends at a `;`, which is left out).
#[derive(Default)]
pub struct Item {
    /// The outer attributes, in order.
    pub attributes: Vec<Attribute>,
    /// What comes between the attributes and the body: visibility,
    /// keywords, name, signature.
    pub head: Vec<TokenTree>,
    /// The `{...}` body, if the item has one.
    pub body: Option<Group>,
}

impl Item {
    fn is_empty(&self) -> bool {
        self.attributes.is_empty() && self.head.is_empty() && self.body.is_none()
    }

    /// The span of the item's first token.
    pub fn start(&self) -> Span {
        match (self.attributes.first(), self.head.first()) {
            (Some(attribute), _) => attribute.pound.span(),
            (None, Some(tree)) => tree.span(),
            (None, None) => self.body.as_ref().map_or_else(Span::call_site, Group::span),
        }
    }

    /// The function's name, if the item is a function: its head is `fn`
    /// and the name, after qualifiers only (`pub`, `pub(crate)`, `const`,
    /// `async`, `unsafe`, `extern "C"`).
    pub fn function_name(&self) -> Option<&Ident> {
        let mut trees = self.head.iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Ident(word) if word == "fn" => {
                    return match trees.next() {
                        Some(TokenTree::Ident(name)) => Some(name),
                        _ => None,
                    };
                }
                TokenTree::Ident(word) if word == "pub" => {
                    if let Some(TokenTree::Group(group)) = trees.peek()
                        && group.delimiter() == Delimiter::Parenthesis
                    {
                        trees.next();
                    }
                }
                TokenTree::Ident(word)
                    if matches!(word.to_string().as_str(), "const" | "async" | "unsafe") => {}
                TokenTree::Ident(word) if word == "extern" => {
                    if let Some(TokenTree::Literal(_)) = trees.peek() {
                        trees.next();
                    }
                }
                _ => return None,
            }
        }
        None
    }
}

/// The items of `tokens`, in order. Inner attributes (`#![...]`) and stray
/// `;` are skipped; the tokens of a body are not looked into.
pub fn items(tokens: TokenStream) -> Vec<Item> {
    let mut items = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    let mut item = Item::default();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(pound) if pound.as_char() == '#' && item.head.is_empty() => {
                match trees.peek() {
                    Some(TokenTree::Group(brackets))
                        if brackets.delimiter() == Delimiter::Bracket =>
                    {
                        let brackets = brackets.clone();
                        trees.next();
                        item.attributes.push(Attribute { pound, brackets });
                    }
                    // `#![...]` belongs to the enclosing module.
                    Some(TokenTree::Punct(bang)) if bang.as_char() == '!' => {
                        trees.next();
                        trees.next_if(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket));
                    }
                    _ => item.head.push(TokenTree::Punct(pound)),
                }
            }
            TokenTree::Punct(semicolon) if semicolon.as_char() == ';' => {
                if !item.is_empty() {
                    items.push(std::mem::take(&mut item));
                }
            }
            TokenTree::Group(body) if body.delimiter() == Delimiter::Brace => {
                item.body = Some(body);
                items.push(std::mem::take(&mut item));
            }
            tree => item.head.push(tree),
        }
    }
    if !item.is_empty() {
        items.push(item);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn read(source: &str) -> Vec<Item> {
        items(TokenStream::from_str(source).unwrap())
    }

    fn names(source: &str) -> Vec<Option<String>> {
        read(source)
            .iter()
            .map(|item| item.function_name().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn tells_functions_from_other_items() {
        assert_eq!(
            names(
                "use a::{b, c}; pub(crate) async unsafe extern \"C\" fn f() {} \
                 type F = fn(); const X: S = S { a: 1 }; struct T; \
                 impl T { fn g() {} } fn h<const N: usize>() -> [u8; N] where u8: Copy { [0; N] }"
            ),
            [
                None,
                Some("f".into()),
                None,
                None,
                None,
                None,
                Some("h".into())
            ]
        );
    }

    #[test]
    fn keeps_outer_attributes_with_their_item() {
        let items = read("#![allow(x)] /// doc\n#[a] #[b(c)] async fn f() {}");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].attributes.len(), 3);
        assert_eq!(items[0].start().start().line, 1);
        assert_eq!(items[0].body.as_ref().unwrap().stream().to_string(), "");
    }

    #[test]
    fn walks_deep_nesting_without_recursion() {
        let deep = format!(
            "fn f() {{ {}{} }} fn g() {{}}",
            "(".repeat(50_000),
            ")".repeat(50_000)
        );
        let items = read(&deep);
        assert_eq!(items.len(), 2);
        let angles = format!("fn f(x: {}) {{}}", "<".repeat(50_000));
        assert_eq!(read(&angles)[0].function_name().unwrap(), "f");
    }
}
