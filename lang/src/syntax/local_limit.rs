//! Lua's limit on local variables per function, followed over the token stream.
//!
//! The compiler checks the limit exactly, but only on a complete tree. Lua's parser checks it
//! as it declares each variable, so in a chunk that also has a syntax error further on, Lua
//! reports the limit, not the syntax error. To report the same, the declarations are counted
//! here as the tokens stream by, and the first declaration past the limit is kept; `parse`
//! uses it when the parse fails after that point.
//!
//! The count follows Lua's parser: per function, the variables declared and not yet out of
//! scope, including those of a `local` statement still being read, the parameters (and `self`
//! of a method), and a `for`'s hidden control variables (3 for a numeric loop, 4 for a generic
//! one) before its own. Input that is not valid Lua only needs to not panic here: a violation
//! is only used when it comes before the syntax error.

use super::token::Token;

/// Lua's MAXVARS: active local variables per function.
pub const MAX_LOCALS: u32 = 200;

/// The first declaration past the limit.
#[derive(Debug, Clone, PartialEq)]
pub struct TooManyLocals {
    /// Where the declaring token starts.
    pub offset: usize,
    /// Line of the function's `function` keyword; 0 for the main chunk.
    pub line_defined: u32,
    /// The token Lua's parser was looking at when it declared the variable (the one after a
    /// declared name): its `(start, token, end)`; None until it has been read.
    pub near: Option<(usize, Token, usize)>,
}

impl TooManyLocals {
    /// Lua's message, without the position and the `near` part.
    pub fn message(&self) -> String {
        let place = if self.line_defined == 0 {
            "main function".to_string()
        } else {
            format!("function at line {}", self.line_defined)
        };
        format!("too many local variables (limit is {MAX_LOCALS}) in {place}")
    }
}

/// What the next tokens are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Statements,
    /// After `local`.
    AfterLocal,
    /// After `local function`, before its name; the `function` keyword's line.
    LocalFunctionName(u32),
    /// In the names of a `local` statement: after a name, or after `,`.
    LocalNames {
        after_comma: bool,
    },
    /// Inside a `<attrib>` of a local name.
    Attrib,
    /// Between `function` and `(`: a method if `:` was seen.
    FunctionName {
        method: bool,
    },
    Params,
    /// After `for`: whether its first name was read.
    ForHeader {
        named: bool,
    },
    /// The names of a generic `for` after its first one.
    ForNames,
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    /// A function body: the enclosing function's count and line.
    Function { outer_count: u32, outer_line: u32 },
    /// A block (`do`, `while`, `for`, `if`, `repeat`): the count when it began. A `while` or
    /// `for` whose `do` has not come yet has `header_pending`.
    Block { count: u32, header_pending: bool },
}

#[derive(Debug)]
pub struct LocalCounter {
    state: State,
    scopes: Vec<Scope>,
    /// Variables of the current function.
    count: u32,
    line_defined: u32,
    first_violation: Option<TooManyLocals>,
    /// The violation waits for the next token (the one Lua names in `near`).
    awaiting_near: bool,
}

impl Default for LocalCounter {
    fn default() -> Self {
        LocalCounter {
            state: State::Statements,
            scopes: Vec::new(),
            count: 0,
            line_defined: 0,
            first_violation: None,
            awaiting_near: false,
        }
    }
}

impl LocalCounter {
    /// The first declaration past the limit, if any.
    pub fn violation(&self) -> Option<&TooManyLocals> {
        self.first_violation.as_ref()
    }

    /// Reads the next token; `line` is the line it starts on.
    pub fn feed(&mut self, start: usize, token: &Token, end: usize, line: u32) {
        if self.awaiting_near {
            self.awaiting_near = false;
            if let Some(v) = &mut self.first_violation {
                v.near = Some((start, token.clone(), end));
            }
        }
        if !self.declaration(start, token, end, line) {
            self.state = State::Statements;
            self.structure(token, line);
        }
    }

    /// Follows a declaration in progress; false when `token` is not part of one.
    fn declaration(&mut self, start: usize, token: &Token, end: usize, line: u32) -> bool {
        let is_name = matches!(token, Token::Name(_));
        match self.state {
            State::Statements => false,
            State::AfterLocal => match token {
                Token::Function => {
                    self.state = State::LocalFunctionName(line);
                    true
                }
                Token::Name(_) => {
                    self.declare(1, start, None);
                    self.state = State::LocalNames { after_comma: false };
                    true
                }
                _ => false,
            },
            State::LocalFunctionName(function_line) => {
                if is_name {
                    // The name belongs to the enclosing function, declared before the body.
                    self.declare(1, start, None);
                    self.enter_function(function_line);
                    self.state = State::FunctionName { method: false };
                    true
                } else {
                    false
                }
            }
            State::LocalNames { after_comma: true } if is_name => {
                self.declare(1, start, None);
                self.state = State::LocalNames { after_comma: false };
                true
            }
            State::LocalNames { after_comma: false } => match token {
                Token::Comma => {
                    self.state = State::LocalNames { after_comma: true };
                    true
                }
                Token::Lt => {
                    self.state = State::Attrib;
                    true
                }
                _ => false,
            },
            State::LocalNames { after_comma: true } => false,
            State::Attrib => {
                if matches!(token, Token::Gt) {
                    self.state = State::LocalNames { after_comma: false };
                }
                is_name || matches!(token, Token::Gt)
            }
            State::FunctionName { method } => match token {
                Token::Name(_) | Token::Dot => true,
                Token::Colon => {
                    self.state = State::FunctionName { method: true };
                    true
                }
                Token::LParen => {
                    if method {
                        // `self`, declared while Lua's parser looks at the `(`.
                        self.declare(1, start, Some((start, token.clone(), end)));
                    }
                    self.state = State::Params;
                    true
                }
                _ => false,
            },
            State::Params => match token {
                Token::Name(_) => {
                    self.declare(1, start, None);
                    true
                }
                Token::Comma | Token::Dots => true,
                Token::RParen => {
                    self.state = State::Statements;
                    true
                }
                _ => false,
            },
            State::ForHeader { named: false } if is_name => {
                self.state = State::ForHeader { named: true };
                true
            }
            State::ForHeader { named: true } => {
                let near = Some((start, token.clone(), end));
                match token {
                    // Three control variables, then the loop's.
                    Token::Assign => self.declare(4, start, near),
                    // Four control variables, then the first name.
                    Token::Comma => {
                        self.declare(5, start, near);
                        self.state = State::ForNames;
                        return true;
                    }
                    Token::In => self.declare(5, start, near),
                    _ => {}
                }
                false
            }
            State::ForHeader { named: false } => false,
            State::ForNames => match token {
                Token::Name(_) => {
                    self.declare(1, start, None);
                    true
                }
                Token::Comma => true,
                _ => false,
            },
        }
    }

    /// Functions and blocks, which start and end the scope of variables.
    fn structure(&mut self, token: &Token, line: u32) {
        match token {
            Token::Local => self.state = State::AfterLocal,
            Token::Function => {
                self.enter_function(line);
                self.state = State::FunctionName { method: false };
            }
            Token::For => {
                self.enter_block(true);
                self.state = State::ForHeader { named: false };
            }
            Token::While => self.enter_block(true),
            Token::If | Token::Repeat => self.enter_block(false),
            Token::Do => match self.scopes.last_mut() {
                Some(Scope::Block { header_pending, .. }) if *header_pending => *header_pending = false,
                _ => self.enter_block(false),
            },
            // The next arm of an `if` starts from the count before the previous one.
            Token::Elseif | Token::Else => {
                if let Some(Scope::Block { count, .. }) = self.scopes.last() {
                    self.count = *count;
                }
            }
            Token::End | Token::Until => match self.scopes.pop() {
                Some(Scope::Block { count, .. }) => self.count = count,
                Some(Scope::Function { outer_count, outer_line }) => {
                    self.count = outer_count;
                    self.line_defined = outer_line;
                }
                None => {}
            },
            _ => {}
        }
    }

    fn enter_function(&mut self, line: u32) {
        self.scopes.push(Scope::Function { outer_count: self.count, outer_line: self.line_defined });
        self.count = 0;
        self.line_defined = line;
    }

    fn enter_block(&mut self, header_pending: bool) {
        self.scopes.push(Scope::Block { count: self.count, header_pending });
    }

    /// Declares `n` variables at the token starting at `offset`. `near` is the token Lua
    /// names; None: the next one.
    fn declare(&mut self, n: u32, offset: usize, near: Option<(usize, Token, usize)>) {
        self.count = self.count.saturating_add(n);
        if self.count > MAX_LOCALS && self.first_violation.is_none() {
            self.awaiting_near = near.is_none();
            self.first_violation = Some(TooManyLocals { offset, line_defined: self.line_defined, near });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer::Lexer;
    use crate::syntax::lines::LineTable;

    fn count(src: &str) -> (u32, Option<TooManyLocals>) {
        let lines = LineTable::new(src.as_bytes());
        let mut counter = LocalCounter::default();
        for item in Lexer::new(src.as_bytes(), "t", &lines) {
            let (start, token, end) = item.expect("lexes");
            counter.feed(start, &token, end, lines.line(start));
        }
        (counter.count, counter.first_violation)
    }

    fn names(prefix: &str, n: usize) -> String {
        (1..=n).map(|i| format!("{prefix}{i}")).collect::<Vec<_>>().join(", ")
    }

    #[test]
    fn counts_what_lua_declares() {
        assert_eq!(count("local a, b <const>, c = 1").0, 3);
        assert_eq!(count("local function f(a, b, ...) local c end").0, 1);
        assert_eq!(count("local function f(a, b, ...) local c").0, 3);
        assert_eq!(count("function t.a.b:m(x) local y").0, 3, "self, x, y");
        assert_eq!(count("for i = 1, 2 do").0, 4);
        assert_eq!(count("for k, v in next, t do local x").0, 7);
        assert_eq!(count("for k, v in pairs(t) do end local x").0, 1);
        assert_eq!(count("while x do local a, b end local c").0, 1);
        assert_eq!(count("if x then local a, b elseif y then local c").0, 1);
        assert_eq!(count("if x then local a, b else local c, d, e").0, 3);
        assert_eq!(count("repeat local a until a local b").0, 1);
        assert_eq!(count("do local a do local b end").0, 1);
        assert_eq!(count("local f = function(a) local b end local c").0, 2);
        assert_eq!(count("local x = y local function g() end").0, 2);
    }

    #[test]
    fn the_first_declaration_past_the_limit_is_kept() {
        let src = format!("local x\nfunction f()\n  local {}, z", names("a", 300));
        let v = count(&src).1.expect("over the limit");
        assert_eq!(v.line_defined, 2);
        assert_eq!(&src[v.offset..v.offset + 4], "a201");
        assert_eq!(v.near.as_ref().map(|n| &n.1), Some(&Token::Comma));
        assert_eq!(v.message(), "too many local variables (limit is 200) in function at line 2");

        let v = count(&format!("local {}", names("a", 201))).1.expect("over the limit");
        assert_eq!(v.line_defined, 0);
        assert_eq!(v.near.as_ref().map(|n| &n.1), Some(&Token::Eof));

        assert!(count(&format!("local {}", names("a", 200))).1.is_none());
        let v = count(&format!("local {} for i = 1, 2 do", names("a", 197))).1.expect("hidden for variables count");
        assert_eq!(v.near.as_ref().map(|n| &n.1), Some(&Token::Assign));
    }
}
