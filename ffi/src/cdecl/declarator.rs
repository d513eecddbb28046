//! Declarators (C11 §6.7.6): pointers, arrays, function parameter lists, parentheses, and the
//! abstract form of type names; and the construction of a type from a base type and a
//! declarator.
//!
//! A declarator is read into the list of its derivations in the order met walking out from
//! the name (`*a[3]`: array of 3, then pointer); the type is built by applying them in reverse
//! to the base type.

use super::attributes::Attrs;
use super::keywords::Kw;
use super::parser::{PResult, Parser};
use super::specifiers::SpecContext;
use super::token::Token;
use super::TypeParam;
use crate::ctype::{layout_of, ArrayLen, CType, CTypeId, CallConv, FuncType, ParamAttr, Quals};
use crate::LayoutError;

/// Whether a declarator must, may or must not name something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeclMode {
    Named,
    Abstract,
    /// Parameters: `int x` and `int` are both fine.
    Either,
}

#[derive(Clone, Debug)]
pub(super) struct ParamDecl {
    pub name: Option<Box<str>>,
    pub ty: CTypeId,
    pub attr: ParamAttr,
}

#[derive(Clone, Debug)]
pub(super) enum Derived {
    Pointer(Quals),
    Array { len: ArrayLen, tok: usize },
    Func { params: Vec<ParamDecl>, variadic: bool, conv: Option<CallConv>, tok: usize },
}

#[derive(Clone, Debug, Default)]
pub(super) struct Declarator {
    /// The declared name and its token.
    pub name: Option<(Box<str>, usize)>,
    /// Derivations from the name outwards.
    pub derived: Vec<Derived>,
    /// Attributes written inside the declarator (after a `*`, or leading a parenthesised part)
    /// that are not calling conventions.
    pub attrs: Attrs,
}

impl Declarator {
    /// Parameter names of the function this declarator declares, if it declares one directly.
    pub fn param_names(&self) -> Option<Vec<Option<Box<str>>>> {
        match self.derived.first() {
            Some(Derived::Func { params, .. }) => Some(params.iter().map(|p| p.name.clone()).collect()),
            _ => None,
        }
    }
}

impl Parser<'_> {
    pub fn declarator(&mut self, mode: DeclMode) -> PResult<Declarator> {
        self.nested(|p| p.declarator_inner(mode))
    }

    fn declarator_inner(&mut self, mode: DeclMode) -> PResult<Declarator> {
        let mut pointers = Vec::new();
        let mut attrs = Attrs::default();
        while self.eat(Token::Star) {
            let mut quals = Quals::NONE;
            loop {
                match self.kw() {
                    Some(Kw::Const) => quals.is_const = true,
                    Some(Kw::Volatile) => quals.is_volatile = true,
                    Some(Kw::Restrict) => {}
                    Some(Kw::Attribute | Kw::Declspec | Kw::Cdecl | Kw::Stdcall | Kw::Fastcall | Kw::Thiscall) => {
                        self.attributes(&mut attrs)?;
                        continue;
                    }
                    _ => break,
                }
                self.bump();
            }
            pointers.push(quals);
        }

        let mut d = Declarator::default();
        // A calling convention written before a parenthesised declarator applies to the
        // function the parentheses are followed by: `int (__stdcall *f)(int)`.
        let mut group_conv = None;
        let mut group_conv_at = self.pos;
        if self.peek() == Token::LParen && self.opens_nested_declarator(mode) {
            self.bump();
            group_conv_at = self.pos;
            let mut lead = Attrs::default();
            self.attributes(&mut lead)?;
            group_conv = lead.conv;
            lead.conv = None;
            d = self.declarator(mode)?;
            d.attrs.merge(&lead, self)?;
            self.expect(Token::RParen, ")")?;
        } else if mode != DeclMode::Abstract && self.peek() == Token::Ident && self.kw().is_none() {
            d.name = Some((self.text().into(), self.pos));
            self.bump();
        } else if mode != DeclMode::Abstract && self.peek() == Token::Dollar {
            if let Some(TypeParam::Name(name)) = self.peek_param() {
                let name: Box<str> = name.as_str().into();
                self.take_param()?;
                d.name = Some((name, self.pos));
                self.bump();
            }
        }
        if mode == DeclMode::Named && d.name.is_none() {
            return Err(self.error("identifier expected"));
        }

        let mut first_suffix = true;
        loop {
            let tok = self.pos;
            if self.eat(Token::LBracket) {
                let len = self.array_length()?;
                d.derived.push(Derived::Array { len, tok });
            } else if self.eat(Token::LParen) {
                let (params, variadic) = self.parameter_list()?;
                let conv = if first_suffix { group_conv.take() } else { None };
                d.derived.push(Derived::Func { params, variadic, conv, tok });
            } else {
                break;
            }
            first_suffix = false;
        }
        if group_conv.is_some() {
            return Err(self.error_at(group_conv_at, "calling convention on something that is not a function"));
        }
        for quals in pointers.into_iter().rev() {
            d.derived.push(Derived::Pointer(quals));
        }
        d.attrs.merge(&attrs, self)?;
        Ok(d)
    }

    /// At a `(` where a declarator may continue: does it open a parenthesised declarator
    /// (rather than a parameter list)?
    fn opens_nested_declarator(&self, mode: DeclMode) -> bool {
        match self.peek_at(1) {
            Token::Star | Token::LParen | Token::LBracket => true,
            Token::Ident => match self.kw_at(1) {
                Some(Kw::Cdecl | Kw::Stdcall | Kw::Fastcall | Kw::Thiscall | Kw::Vectorcall) => true,
                Some(Kw::Attribute | Kw::Declspec) => true,
                Some(_) => false,
                None => mode != DeclMode::Abstract && self.typedef_at(1).is_none(),
            },
            Token::Dollar => mode != DeclMode::Abstract && matches!(self.peek_param(), Some(TypeParam::Name(_))),
            _ => false,
        }
    }

    /// After `[`: the length and the `]`.
    fn array_length(&mut self) -> PResult<ArrayLen> {
        if self.eat(Token::RBracket) {
            return Ok(ArrayLen::Flexible);
        }
        if self.peek() == Token::Question && self.peek_at(1) == Token::RBracket {
            self.bump();
            self.bump();
            return Ok(ArrayLen::Variable);
        }
        let at = self.pos;
        let n = self.const_int()?;
        if n < 0 {
            return Err(self.error_at(at, "size of array is negative"));
        }
        let n = u64::try_from(n).map_err(|_| self.error_at(at, "size of array is too large"))?;
        self.expect(Token::RBracket, "]")?;
        Ok(ArrayLen::Fixed(n))
    }

    /// After `(`: the parameters and the `)`; `()` and `(void)` both mean none.
    fn parameter_list(&mut self) -> PResult<(Vec<ParamDecl>, bool)> {
        let mut params = Vec::new();
        if self.eat(Token::RParen) {
            return Ok((params, false));
        }
        if self.kw() == Some(Kw::Void) && self.peek_at(1) == Token::RParen {
            self.bump();
            self.bump();
            return Ok((params, false));
        }
        let mut variadic = false;
        loop {
            if self.eat(Token::Ellipsis) {
                variadic = true;
                break;
            }
            let at = self.pos;
            let param = self.parameter()?;
            if let Some(name) = &param.name {
                if params.iter().any(|p: &ParamDecl| p.name.as_ref() == Some(name)) {
                    return Err(self.error_at(at, &format!("redefinition of parameter '{name}'")));
                }
            }
            params.push(param);
            if !self.eat(Token::Comma) {
                break;
            }
        }
        self.expect(Token::RParen, ")")?;
        Ok((params, variadic))
    }

    fn parameter(&mut self) -> PResult<ParamDecl> {
        let start = self.pos;
        let specs = self.specifiers(SpecContext::Param)?;
        if specs.is_empty(self.pos) {
            return Err(self.error("parameter type expected"));
        }
        let base = self.base_type(&specs)?;
        let d = self.declarator(DeclMode::Either)?;
        let mut attrs = specs.attrs;
        attrs.merge(&d.attrs, self)?;
        self.attributes(&mut attrs)?;
        let ty = self.build_type(base, &d, attrs.conv)?;
        let ty = self.adjust_parameter(ty);
        if matches!(self.table.get(self.table.unqualified(ty).0), CType::Void) {
            return Err(self.error_at(start, "parameter of type 'void'"));
        }
        Ok(ParamDecl { name: d.name.map(|(n, _)| n), ty, attr: attrs.param })
    }

    /// C11 §6.7.6.3p7-8: an array parameter is a pointer to its element, a function
    /// parameter a pointer to the function.
    fn adjust_parameter(&mut self, ty: CTypeId) -> CTypeId {
        match self.table.get(ty).clone() {
            CType::Array { elem, .. } => self.table.pointer_to(elem),
            CType::Func(_) => self.table.pointer_to(ty),
            _ => ty,
        }
    }

    /// Applies a declarator's derivations to `base`. `conv` (from the specifiers or trailing
    /// attributes) goes to the function nearest the name.
    pub fn build_type(&mut self, base: CTypeId, d: &Declarator, conv: Option<CallConv>) -> PResult<CTypeId> {
        let mut conv = conv;
        let innermost_func = d.derived.iter().position(|x| matches!(x, Derived::Func { .. }));
        if conv.is_some() && innermost_func.is_none() {
            if matches!(self.table.get(self.table.unqualified(base).0), CType::Func(_)) && d.derived.is_empty() {
                return self.with_conv(base, conv.take());
            }
            let at = d.name.as_ref().map_or(self.pos, |n| n.1);
            return Err(self.error_at(at, "calling convention on something that is not a function"));
        }
        let at = d.name.as_ref().map_or(self.pos, |n| n.1);
        let mut ty = base;
        for (index, derived) in d.derived.iter().enumerate().rev() {
            ty = match derived {
                Derived::Pointer(quals) => {
                    let p = self.table.pointer_to(ty);
                    self.table.qualified(p, *quals)
                }
                Derived::Array { len, tok } => {
                    if index != 0 && *len == ArrayLen::Variable {
                        return Err(self.error_at(*tok, "'[?]' is only allowed in the outermost array"));
                    }
                    self.check_element(ty, *tok)?;
                    let array = self.table.array_of(ty, *len);
                    if let Err(LayoutError::TooLarge { .. }) = layout_of(self.table, array, self.table.target()) {
                        return Err(self.error_at(*tok, "size of array is too large"));
                    }
                    array
                }
                Derived::Func { params, variadic, conv: own, tok } => {
                    let (unq, _) = self.table.unqualified(ty);
                    match self.table.get(unq) {
                        CType::Array { .. } => return Err(self.error_at(*tok, "function returning an array")),
                        CType::Func(_) => return Err(self.error_at(*tok, "function returning a function")),
                        _ => {}
                    }
                    let mut conv_here = *own;
                    if Some(index) == innermost_func && conv_here.is_none() {
                        conv_here = conv.take();
                    } else if Some(index) == innermost_func && conv.is_some() && conv != conv_here {
                        return Err(self.error_at(*tok, "conflicting calling conventions"));
                    }
                    let param_attrs: Vec<ParamAttr> = params.iter().map(|p| p.attr).collect();
                    let param_attrs =
                        if param_attrs.iter().all(|a| *a == ParamAttr::None) { Vec::new() } else { param_attrs };
                    self.table.func(FuncType {
                        ret: ty,
                        params: params.iter().map(|p| p.ty).collect(),
                        param_attrs,
                        variadic: *variadic,
                        conv: conv_here.unwrap_or_default(),
                    })
                }
            };
            self.check_depth(ty, at)?;
        }
        Ok(ty)
    }

    fn with_conv(&mut self, func: CTypeId, conv: Option<CallConv>) -> PResult<CTypeId> {
        let (unq, quals) = self.table.unqualified(func);
        let CType::Func(mut f) = self.table.get(unq).clone() else { unreachable!("checked by the caller") };
        f.conv = conv.unwrap_or_default();
        let id = self.table.func(f);
        Ok(self.table.qualified(id, quals))
    }

    /// An array element must be a complete object type of fixed size.
    fn check_element(&self, elem: CTypeId, tok: usize) -> PResult<()> {
        let target = self.table.target();
        match layout_of(self.table, elem, target) {
            Ok(l) if l.tail.is_some() => {
                Err(self.error_at(tok, &format!("array of variable-length type '{}'", self.table.render(elem))))
            }
            Ok(_) => Ok(()),
            Err(LayoutError::Incomplete { ty }) => Err(self.error_at(tok, &format!("array of incomplete type '{ty}'"))),
            Err(LayoutError::NoSize { ty }) => Err(self.error_at(tok, &format!("array of '{ty}'"))),
            Err(e) => Err(self.error_at(tok, &e.to_string())),
        }
    }
}
