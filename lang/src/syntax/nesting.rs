//! Open constructs and syntax depth, followed over the token stream.
//!
//! Two things the LR parser cannot tell us: which construct an expected `end`, `until`, `)`
//! or `}` would close (for Lua's "(to close 'function' at line 3)"), and how deeply the input
//! nests *before* it is complete. Lua's recursive-descent parser fails on depth as it descends
//! (`C stack overflow`), so `return ((((...` with 500 parentheses and no end reports depth,
//! not end of input; we count the same way on tokens as they arrive. Closed, complete input
//! is also depth-checked on the tree the grammar builds (`actions.rs`), which bounds
//! everything that recurses on the AST later.
//!
//! The count mirrors what makes Lua's parser recurse: brackets, blocks, and chains of unary
//! and right-associative operators (`not not x`, `a .. b .. c`, `a ^ b ^ c`).

use super::token::Token;

/// Lua's LUAI_MAXCCALLS: how deep the syntax may nest.
pub const MAX_LEVELS: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    Function,
    Do,
    While,
    For,
    If,
    Repeat,
    /// A function's parameter list.
    Params,
    Paren,
    Brace,
    Bracket,
}

impl Opener {
    /// The opening token as Lua names it.
    pub fn text(self) -> &'static str {
        match self {
            Opener::Function => "function",
            Opener::Do => "do",
            Opener::While => "while",
            Opener::For => "for",
            Opener::If => "if",
            Opener::Repeat => "repeat",
            Opener::Params | Opener::Paren => "(",
            Opener::Brace => "{",
            Opener::Bracket => "[",
        }
    }

    /// The token that closes it.
    pub fn closer(self) -> &'static str {
        match self {
            Opener::Function | Opener::Do | Opener::While | Opener::For | Opener::If => "end",
            Opener::Repeat => "until",
            Opener::Params | Opener::Paren => ")",
            Opener::Brace => "}",
            Opener::Bracket => "]",
        }
    }

    /// Does Lua name this construct when its closer is missing ("(to close 'X' at line
    /// N)")? It does where it uses `check_match`: blocks, parentheses of expressions and
    /// calls, table constructors; not parameter lists or index brackets.
    pub fn named_when_unclosed(self) -> bool {
        !matches!(self, Opener::Params | Opener::Bracket)
    }
}

/// What one token does to the nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Open(Opener),
    /// `do`: the body of a pending `while`/`for`, or a block of its own.
    Do,
    Close(Opener),
    /// `end` closes whichever block is open.
    End,
    /// A unary or right-associative operator: one more level until the expression ends.
    Chain,
    /// `-` or `~`: unary (a chain level) unless it follows an operand.
    MinusOrTilde {
        resets_when_binary: bool,
    },
    /// Operands and operators that bind tighter than `..`: the chain goes on.
    Neutral,
    /// A name: neutral, and after an operand it starts a new statement.
    Name,
    /// `,`: ends the chain; may separate assignment targets.
    Comma,
    /// Anything else ends the current operator chain.
    Reset,
}

impl Effect {
    pub fn of(token: &Token) -> Effect {
        use Token::*;
        match token {
            Function => Effect::Open(Opener::Function),
            While => Effect::Open(Opener::While),
            For => Effect::Open(Opener::For),
            If => Effect::Open(Opener::If),
            Repeat => Effect::Open(Opener::Repeat),
            LParen => Effect::Open(Opener::Paren),
            LBrace => Effect::Open(Opener::Brace),
            LBracket => Effect::Open(Opener::Bracket),
            Do => Effect::Do,
            End => Effect::End,
            Until => Effect::Close(Opener::Repeat),
            RParen => Effect::Close(Opener::Paren),
            RBrace => Effect::Close(Opener::Brace),
            RBracket => Effect::Close(Opener::Bracket),
            Concat | Caret | Not | Hash => Effect::Chain,
            Minus => Effect::MinusOrTilde { resets_when_binary: false },
            Tilde => Effect::MinusOrTilde { resets_when_binary: true },
            Name(_) => Effect::Name,
            Comma => Effect::Comma,
            Numeral(_) | Str(_) | Nil | True | False | Dots | Plus | Star | Slash | DoubleSlash | Percent | Dot
            | Colon => Effect::Neutral,
            _ => Effect::Reset,
        }
    }
}

/// Can `token` end an operand (so that a following `-` or `~` is binary)?
pub fn ends_operand(token: &Token) -> bool {
    use Token::*;
    matches!(token, Name(_) | Numeral(_) | Str(_) | Nil | True | False | Dots | RParen | RBracket | RBrace | End)
}

#[derive(Debug, Clone, Copy)]
struct Open {
    opener: Opener,
    offset: usize,
    /// A `while`/`for` whose `do`, or a `function` whose `(`, has not come yet.
    header_pending: bool,
    /// The last separator at this level was a `,` and no operand-starting name followed an
    /// operand since: we may be in a list of assignment targets.
    after_comma: bool,
    /// Operator-chain levels inside this construct.
    chain: u32,
}

/// The depth limit was passed by the token at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub offset: usize,
}

#[derive(Debug, Default)]
pub struct Nesting {
    open: Vec<Open>,
    /// Operator-chain levels outside any construct.
    base_chain: u32,
    /// `after_comma` outside any construct.
    base_after_comma: bool,
    /// Sum of all chain levels.
    chains: u32,
    prev_ends_operand: bool,
}

impl Nesting {
    /// The innermost open construct and the offset of its opening token.
    pub fn innermost(&self) -> Option<(Opener, usize)> {
        self.open.last().map(|o| (o.opener, o.offset))
    }

    pub fn depth(&self) -> u32 {
        u32::try_from(self.open.len()).unwrap_or(u32::MAX).saturating_add(self.chains)
    }

    fn chain_mut(&mut self) -> &mut u32 {
        match self.open.last_mut() {
            Some(open) => &mut open.chain,
            None => &mut self.base_chain,
        }
    }

    fn reset_chain(&mut self) {
        let chain = std::mem::take(self.chain_mut());
        self.chains -= chain;
    }

    fn push(&mut self, opener: Opener, offset: usize) {
        let header_pending = matches!(opener, Opener::While | Opener::For | Opener::Function);
        self.open.push(Open { opener, offset, header_pending, after_comma: false, chain: 0 });
    }

    fn pop_if(&mut self, matches: impl Fn(Opener) -> bool) {
        if self.open.last().is_some_and(|o| matches(o.opener)) {
            let open = self.open.pop().expect("checked non-empty");
            self.chains -= open.chain;
        }
    }

    /// Whether the tokens since the current statement began look like `a, b` (Lua then
    /// wants `=`).
    pub fn after_comma(&self) -> bool {
        self.open.last().map_or(self.base_after_comma, |o| o.after_comma)
    }

    fn set_after_comma(&mut self, value: bool) {
        match self.open.last_mut() {
            Some(open) => open.after_comma = value,
            None => self.base_after_comma = value,
        }
    }

    /// Applies the effect of a token at `offset` whose operand-ness is `ends_operand`.
    pub fn apply(&mut self, effect: Effect, ends_operand: bool, offset: usize) -> Result<(), TooDeep> {
        match effect {
            Effect::Comma => self.set_after_comma(true),
            Effect::Name if self.prev_ends_operand => self.set_after_comma(false),
            // A new level starts clear; closing one returns to its parent's state.
            Effect::Neutral | Effect::Name | Effect::Open(_) | Effect::Close(_) | Effect::End => {}
            _ => self.set_after_comma(false),
        }
        match effect {
            Effect::Open(Opener::Paren) => match self.open.last_mut() {
                Some(open) if open.header_pending && open.opener == Opener::Function => {
                    open.header_pending = false;
                    self.push(Opener::Params, offset);
                }
                _ => self.push(Opener::Paren, offset),
            },
            Effect::Open(opener) => self.push(opener, offset),
            Effect::Do => match self.open.last_mut() {
                Some(open) if open.header_pending && open.opener != Opener::Function => {
                    open.header_pending = false;
                    self.reset_chain();
                }
                _ => self.push(Opener::Do, offset),
            },
            Effect::Close(opener) => self.pop_if(|o| o.closer() == opener.closer()),
            Effect::End => self.pop_if(|o| o.closer() == "end"),
            Effect::Chain => {
                *self.chain_mut() += 1;
                self.chains += 1;
            }
            Effect::MinusOrTilde { resets_when_binary } => {
                if !self.prev_ends_operand {
                    *self.chain_mut() += 1;
                    self.chains += 1;
                } else if resets_when_binary {
                    self.reset_chain();
                }
            }
            Effect::Neutral | Effect::Name => {}
            Effect::Reset | Effect::Comma => self.reset_chain(),
        }
        self.prev_ends_operand = ends_operand;
        if self.depth() > MAX_LEVELS {
            Err(TooDeep { offset })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(effects: &[Effect]) -> Result<Nesting, TooDeep> {
        let mut n = Nesting::default();
        for (i, &e) in effects.iter().enumerate() {
            n.apply(e, false, i)?;
        }
        Ok(n)
    }

    #[test]
    fn loop_do_is_not_a_block_of_its_own() {
        use Effect::*;
        let n = run(&[Open(Opener::Function), Name, Open(Opener::Paren)]).unwrap();
        assert_eq!(n.innermost(), Some((Opener::Params, 2)));
        let n =
            run(&[Open(Opener::Function), Open(Opener::Paren), Close(Opener::Params), Open(Opener::Paren)]).unwrap();
        assert_eq!(n.innermost(), Some((Opener::Paren, 3)));
        let n = run(&[Open(Opener::While), Reset, Do]).unwrap();
        assert_eq!(n.innermost(), Some((Opener::While, 0)));
        let n = run(&[Open(Opener::While), Do, Do]).unwrap();
        assert_eq!(n.innermost(), Some((Opener::Do, 2)));
        let n = run(&[Open(Opener::Function), Open(Opener::Do), End]).unwrap();
        assert_eq!(n.innermost(), Some((Opener::Function, 0)));
    }

    #[test]
    fn depth_counts_brackets_and_chains() {
        use Effect::*;
        assert!(run(&vec![Open(Opener::Paren); 200]).is_ok());
        assert_eq!(run(&vec![Open(Opener::Paren); 201]).unwrap_err(), TooDeep { offset: 200 });
        assert!(run(&vec![Chain; 201]).is_err());
        let mut many = Vec::new();
        for _ in 0..1000 {
            many.extend([Chain, Reset]);
        }
        assert!(run(&many).is_ok(), "a reset ends the chain");
        let n = run(&[Open(Opener::Paren), Chain, Chain, Close(Opener::Paren)]).unwrap();
        assert_eq!(n.depth(), 0, "closing a bracket drops its chain");
    }
}
