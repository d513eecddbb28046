//! Preparation of numeric `for` loops (Lua 5.4's forprep): integer loops precompute their
//! iteration count so they never overflow; float loops keep index, limit and step.

use super::arith::{self, ForOperand, ForPlan};
use super::error::LuaResult;
use super::state::Lua;
use super::value::Value;

impl Lua {
    /// Prepares the loop whose registers start at stack slot `a`: R[a] init, R[a+1] limit,
    /// R[a+2] step, R[a+3] control variable. Returns true when the loop must not run.
    pub(crate) fn for_prep(&mut self, a: usize) -> LuaResult<bool> {
        let (init, limit, step) = (self.stack_at(a), self.stack_at(a + 1), self.stack_at(a + 2));
        fn operand(v: &Value) -> ForOperand<'_> {
            match v {
                Value::Int(i) => ForOperand::Int(*i),
                Value::Float(f) => ForOperand::Float(*f),
                Value::Str(s) => ForOperand::Str(s.as_bytes()),
                _ => ForOperand::Other,
            }
        }
        let plan = arith::for_prep(operand(&init), operand(&limit), operand(&step));
        match plan {
            Err(e) => {
                let culprit = match e {
                    arith::ForError::InitialNotNumber => init,
                    arith::ForError::LimitNotNumber => limit,
                    _ => step,
                };
                let msg = e.message(&self.type_name_mt(culprit));
                Err(self.runtime_error(&msg))
            }
            Ok(ForPlan::Skip) => Ok(true),
            Ok(ForPlan::Int { start, step, remaining }) => {
                self.stack_set(a, Value::Int(start));
                // Stored as the bit pattern of the unsigned count (see OpCode::ForLoop).
                self.stack_set(a + 1, Value::Int(remaining as i64));
                self.stack_set(a + 2, Value::Int(step));
                self.stack_set(a + 3, Value::Int(start));
                Ok(false)
            }
            Ok(ForPlan::Float { start, limit, step }) => {
                self.stack_set(a, Value::Float(start));
                self.stack_set(a + 1, Value::Float(limit));
                self.stack_set(a + 2, Value::Float(step));
                self.stack_set(a + 3, Value::Float(start));
                Ok(false)
            }
        }
    }
}
