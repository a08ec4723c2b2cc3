//===- Conditions.cpp -----------------------------------------------------===//
#include "polc/Sema/Conditions.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <map>
#include <set>

using namespace polc;
using namespace polc::sema;
using ast::CmpOp;
using ast::Condition;
using ast::Operand;
using Op = ArgTest::Op;

namespace {

constexpr size_t MaxConjunctions = 64;
constexpr uint64_t Full64 = ~uint64_t(0);
constexpr uint64_t Low32 = 0xffffffffu;

bool isEquality(const ArgTest &t) { return t.op == Op::EQ || t.op == Op::MaskedEQ; }
uint64_t maskOf(const ArgTest &t) { return t.op == Op::EQ ? Full64 : t.mask; }

bool holds(const ArgTest &t, uint64_t x) {
  switch (t.op) {
  case Op::EQ: return x == t.value;
  case Op::NE: return x != t.value;
  case Op::LT: return x < t.value;
  case Op::LE: return x <= t.value;
  case Op::GT: return x > t.value;
  case Op::GE: return x >= t.value;
  case Op::MaskedEQ: return (x & t.mask) == t.value;
  }
  return false;
}

Op negate(Op op) {
  switch (op) {
  case Op::EQ: return Op::NE;
  case Op::NE: return Op::EQ;
  case Op::LT: return Op::GE;
  case Op::LE: return Op::GT;
  case Op::GT: return Op::LE;
  case Op::GE: return Op::LT;
  case Op::MaskedEQ: break;
  }
  return op;
}

Op fromAst(CmpOp op) {
  switch (op) {
  case CmpOp::EQ: return Op::EQ;
  case CmpOp::NE: return Op::NE;
  case CmpOp::LT: return Op::LT;
  case CmpOp::LE: return Op::LE;
  case CmpOp::GT: return Op::GT;
  case CmpOp::GE: return Op::GE;
  }
  return Op::EQ;
}

/// `a OP b` read as `b OP' a`.
Op mirror(Op op) {
  switch (op) {
  case Op::LT: return Op::GT;
  case Op::LE: return Op::GE;
  case Op::GT: return Op::LT;
  case Op::GE: return Op::LE;
  default: return op;
  }
}

/// Values of the low 32 bits of an argument: sorted, disjoint, inclusive
/// intervals. A 32-bit argument's comparisons become such a set, whatever
/// the operator, and the set is emitted as masked equalities on aligned
/// blocks (a range's prefix decomposition), the one comparison seccomp
/// makes on part of a register (pitfalls S12).
struct Interval {
  uint64_t lo, hi;
};
using IntervalSet = llvm::SmallVector<Interval, 2>;

IntervalSet complementOf(const IntervalSet &s) {
  IntervalSet out;
  uint64_t next = 0;
  for (const Interval &i : s) {
    if (i.lo > next)
      out.push_back({next, i.lo - 1});
    next = i.hi + 1;
  }
  if (next <= Low32)
    out.push_back({next, Low32});
  return out;
}

IntervalSet intersectionOf(const IntervalSet &a, const IntervalSet &b) {
  IntervalSet out;
  for (const Interval &x : a)
    for (const Interval &y : b) {
      uint64_t lo = std::max(x.lo, y.lo), hi = std::min(x.hi, y.hi);
      if (lo <= hi)
        out.push_back({lo, hi});
    }
  llvm::sort(out, [](const Interval &l, const Interval &r) { return l.lo < r.lo; });
  return out;
}

/// `x OP v` on 32 bits, as a set of low-32-bit patterns. A signed argument
/// orders as the kernel's int does: -1 (0xffffffff) is below 0.
IntervalSet intervalsOf(Op op, uint64_t v, bool isSigned) {
  constexpr int64_t Two32 = int64_t(1) << 32;
  int64_t minV = isSigned ? INT32_MIN : 0;
  int64_t maxV = isSigned ? INT32_MAX : int64_t(Low32);
  int64_t x = isSigned ? int64_t(int32_t(uint32_t(v))) : int64_t(v);
  int64_t lo = minV, hi = maxV;
  switch (op) {
  case Op::EQ: lo = hi = x; break;
  case Op::NE: return complementOf({{v, v}});
  case Op::LT: hi = x - 1; break;
  case Op::LE: hi = x; break;
  case Op::GT: lo = x + 1; break;
  case Op::GE: lo = x; break;
  case Op::MaskedEQ: return {};
  }
  IntervalSet out;
  if (lo > hi)
    return out;
  if (hi >= 0) // non-negative part, below the negative one's pattern
    out.push_back({uint64_t(std::max<int64_t>(lo, 0)), uint64_t(hi)});
  if (lo < 0)
    out.push_back({uint64_t(lo + Two32), uint64_t(std::min<int64_t>(hi, -1) + Two32)});
  return out;
}

/// Masked equalities covering exactly \p s: each block is aligned and a
/// power of two long, so `(x & ~(size-1)) == lo` holds for exactly it.
llvm::SmallVector<ArgTest, 4> blocksOf(unsigned arg, const IntervalSet &s) {
  llvm::SmallVector<ArgTest, 4> out;
  for (const Interval &i : s) {
    uint64_t lo = i.lo;
    while (lo <= i.hi) {
      uint64_t size = 1;
      while (size <= Low32 && lo % (size * 2) == 0 && lo + size * 2 - 1 <= i.hi)
        size *= 2;
      uint64_t mask = Low32 & ~(size - 1);
      out.push_back(mask == 0 ? ArgTest{arg, Op::MaskedEQ, 0, 0}
                              : ArgTest{arg, Op::MaskedEQ, mask, lo});
      lo += size;
    }
  }
  return out;
}

/// What one conjunction requires of one argument: a comparison (64-bit
/// arguments, and masks that are not a range on 32-bit ones), or the set of
/// low-32-bit values a 32-bit argument may take.
struct Constraint {
  bool isSet = false;
  IntervalSet set;
  ArgTest test;
};
/// A conjunction while lowering: argument index -> its constraint.
using Conj = std::map<unsigned, Constraint>;
using InternalDNF = std::vector<Conj>;

class Lowerer {
public:
  Lowerer(llvm::StringRef syscall, kb::Arch arch,
          const std::vector<kb::SyscallArg> &sig,
          const ConditionReporter &report)
      : syscall(syscall), arch(arch), sig(sig), report(report) {}

  std::optional<DNF> run(const Condition &c) {
    InternalDNF d = lower(c, /*neg=*/false);
    if (failed)
      return std::nullopt;
    // Expand value sets into blocks; identical conjunctions once, in a
    // stable order.
    std::set<std::vector<ArgTest>> seen;
    DNF out;
    for (const Conj &conj : d) {
      DNF expanded{Conjunction{}};
      for (const auto &[arg, k] : conj) {
        llvm::SmallVector<ArgTest, 4> alts;
        if (k.isSet)
          alts = blocksOf(arg, k.set);
        else
          alts.push_back(k.test);
        DNF next;
        for (const Conjunction &prefix : expanded)
          for (const ArgTest &t : alts) {
            Conjunction c2 = prefix;
            if (!(t.op == Op::MaskedEQ && t.mask == 0))
              c2.push_back(t);
            next.push_back(std::move(c2));
          }
        expanded = std::move(next);
        if (!checkSize(expanded.size(), c.range))
          return std::nullopt;
      }
      for (Conjunction &e : expanded) {
        llvm::sort(e);
        if (seen.insert(std::vector<ArgTest>(e.begin(), e.end())).second)
          out.push_back(std::move(e));
        if (!checkSize(out.size(), c.range))
          return std::nullopt;
      }
    }
    return out;
  }

private:
  void error(DiagID id, llvm::SMRange r, llvm::ArrayRef<std::string> args = {}) {
    failed = true;
    report(id, r, args);
  }

  const kb::SyscallArg *findArg(llvm::StringRef name) {
    for (const kb::SyscallArg &a : sig)
      if (a.name == name)
        return &a;
    return nullptr;
  }

  std::optional<uint64_t> termValue(const Operand::Term &t) {
    if (!t.name.empty()) {
      if (std::optional<uint64_t> v = kb::lookupConstant(t.name, arch))
        return v;
      std::vector<llvm::StringRef> cands = kb::getConstantNames();
      for (const kb::SyscallArg &a : sig)
        cands.push_back(a.name);
      error(DiagID::err_condition_unknown_name, t.range,
            {t.name, syscall.str(), didYouMean(t.name, cands)});
      return std::nullopt;
    }
    llvm::StringRef text(t.number);
    bool negative = text.consume_front("-");
    unsigned long long v = 0;
    // Negative numbers go down to INT64_MIN; below, -v would wrap around.
    if (text.getAsInteger(0, v) || (negative && v > (uint64_t(1) << 63))) {
      error(DiagID::err_condition_bad_number, t.range, {t.number});
      return std::nullopt;
    }
    return negative ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  }

  /// All terms constants: their AND.
  std::optional<uint64_t> constantValue(const Operand &o) {
    uint64_t v = Full64;
    for (const Operand::Term &t : o.terms) {
      std::optional<uint64_t> tv = termValue(t);
      if (!tv)
        return std::nullopt;
      v &= *tv;
    }
    return v;
  }

  bool namesArgument(const Operand &o) {
    return !o.terms.empty() && !o.terms[0].name.empty() &&
           findArg(o.terms[0].name);
  }

  static Conj single(unsigned arg, ArgTest t) {
    Conj c;
    c[arg].test = t;
    return c;
  }
  static Conj single(unsigned arg, IntervalSet s) {
    Conj c;
    c[arg].isSet = true;
    c[arg].set = std::move(s);
    return c;
  }
  /// A set that is empty is a comparison that never holds.
  static InternalDNF ofSet(unsigned arg, IntervalSet s) {
    if (s.empty())
      return {};
    return {single(arg, std::move(s))};
  }

  /// The tests of `argSide OP valueSide`, negated if \p neg.
  InternalDNF atom(const Operand &argSide, Op op, const Operand &valueSide,
                   bool neg, llvm::SMRange where) {
    const kb::SyscallArg *arg = findArg(argSide.terms[0].name);
    if (arg->type == kb::ArgType::Ptr) {
      error(DiagID::err_condition_pointer, argSide.terms[0].range,
            {arg->name.str(), syscall.str()});
      return {};
    }
    bool is32 = kb::isArgType32Bit(arg->type);
    uint64_t width = is32 ? Low32 : Full64;
    uint64_t mask = width;
    for (size_t i = 1; i < argSide.terms.size(); ++i) {
      std::optional<uint64_t> m = termValue(argSide.terms[i]);
      if (!m)
        return {};
      mask &= *m;
    }
    std::optional<uint64_t> value = constantValue(valueSide);
    if (!value)
      return {};
    if (is32) {
      // A 32-bit value written as a negative number or as its unsigned
      // pattern; anything wider cannot be the argument.
      bool fits = *value <= Low32 || (*value >> 31) == (Full64 >> 31);
      if (!fits) {
        error(DiagID::err_condition_value_range, valueSide.range,
              {llvm::utostr(*value), arg->name.str()});
        return {};
      }
      *value &= Low32;
    }
    if (neg)
      op = negate(op);
    unsigned idx = arg->index;
    if (mask != width && op != Op::EQ && op != Op::NE) {
      error(DiagID::err_condition_mask_op, where);
      return {};
    }
    if (is32 && mask == Low32)
      return ofSet(idx, intervalsOf(op, *value, arg->type == kb::ArgType::Int));
    if (op != Op::EQ && op != Op::NE) {
      if (arg->type == kb::ArgType::Long) {
        error(DiagID::err_condition_ordering_signed, where,
              {arg->name.str(), syscall.str()});
        return {};
      }
      return {single(idx, ArgTest{idx, op, Full64, *value})};
    }
    if (mask == Full64)
      return {single(idx, ArgTest{idx, op, Full64, *value})};
    // (x & m) == v; never true when v has bits outside m.
    bool possible = (*value & ~mask) == 0;
    if (op == Op::EQ) {
      if (!possible)
        return {};
      return {masked(idx, mask, *value, is32)};
    }
    // (x & m) != v: some bit of m differs from v's, one rule per bit.
    if (!possible)
      return {Conj{}};
    InternalDNF out;
    for (unsigned b = 0; b < 64; ++b) {
      uint64_t bit = uint64_t(1) << b;
      if (mask & bit)
        out.push_back(masked(idx, bit, ~*value & bit, is32));
    }
    return out;
  }

  /// (x & mask) == value; on a 32-bit argument a mask of high bits is a
  /// range of values, kept as a set so that it combines with others.
  static Conj masked(unsigned idx, uint64_t mask, uint64_t value, bool is32) {
    uint64_t low = ~mask & Low32;
    if (is32 && (low & (low + 1)) == 0)
      return single(idx, IntervalSet{{value, value | low}});
    return single(idx, ArgTest{idx, Op::MaskedEQ, mask, value});
  }

  InternalDNF comparison(const Operand &lhs, Op op, const Operand &rhs,
                         bool neg, llvm::SMRange where) {
    if (namesArgument(lhs))
      return atom(lhs, op, rhs, neg, where);
    if (namesArgument(rhs))
      return atom(rhs, mirror(op), lhs, neg, where);
    // No argument: unknown names are the likely cause; report them.
    for (const Operand *o : {&lhs, &rhs})
      for (const Operand::Term &t : o->terms)
        if (!t.name.empty() && !kb::lookupConstant(t.name, arch)) {
          termValue(t);
          return {};
        }
    error(DiagID::err_condition_no_argument, where, {syscall.str()});
    return {};
  }

  InternalDNF lower(const Condition &c, bool neg) {
    switch (c.kind) {
    case Condition::Kind::Not:
      return lower(*c.children[0], !neg);
    case Condition::Kind::Or:
    case Condition::Kind::And: {
      InternalDNF a = lower(*c.children[0], neg);
      InternalDNF b = lower(*c.children[1], neg);
      bool isOr = (c.kind == Condition::Kind::Or) != neg;
      return isOr ? orOf(std::move(a), std::move(b)) : andOf(a, b, c.range);
    }
    case Condition::Kind::Cmp:
      return comparison(c.lhs, fromAst(c.op), c.rhs, neg, c.range);
    case Condition::Kind::In: {
      bool positive = c.negatedIn == neg; // `in`, or `not (x not in ...)`
      InternalDNF acc = positive ? InternalDNF{} : InternalDNF{Conj{}};
      for (const Operand &v : c.set) {
        InternalDNF one = comparison(c.lhs, Op::EQ, v, /*neg=*/!positive, c.range);
        acc = positive ? orOf(std::move(acc), std::move(one))
                       : andOf(acc, one, c.range);
        if (failed)
          return {};
      }
      return acc;
    }
    }
    return {};
  }

  InternalDNF orOf(InternalDNF a, InternalDNF b) {
    for (Conj &c : b)
      a.push_back(std::move(c));
    checkSize(a.size(), {});
    return a;
  }

  InternalDNF andOf(const InternalDNF &a, const InternalDNF &b,
                    llvm::SMRange where) {
    InternalDNF out;
    for (const Conj &x : a)
      for (const Conj &y : b) {
        std::optional<Conj> m = merge(x, y, where);
        if (failed)
          return {};
        if (m)
          out.push_back(std::move(*m));
        if (!checkSize(out.size(), where))
          return {};
      }
    return out;
  }

  bool checkSize(size_t n, llvm::SMRange where) {
    if (n <= MaxConjunctions || failed)
      return !failed;
    error(DiagID::err_condition_too_complex, where,
          {std::to_string(MaxConjunctions)});
    return false;
  }

  /// x and y as one conjunction; std::nullopt when they contradict.
  std::optional<Conj> merge(const Conj &x, const Conj &y, llvm::SMRange where) {
    Conj out = x;
    for (const auto &[arg, k] : y) {
      auto it = out.find(arg);
      if (it == out.end()) {
        out.emplace(arg, k);
        continue;
      }
      Constraint &o = it->second;
      if (o.isSet && k.isSet) {
        o.set = intersectionOf(o.set, k.set);
        if (o.set.empty())
          return std::nullopt;
        continue;
      }
      if (o.isSet != k.isSet) {
        // A set and a mask that is not a range: decidable when the set is
        // one value.
        const Constraint &s = o.isSet ? o : k;
        const ArgTest &t = o.isSet ? k.test : o.test;
        if (s.set.size() == 1 && s.set[0].lo == s.set[0].hi) {
          if (!holds(t, s.set[0].lo))
            return std::nullopt;
          o = s;
          continue;
        }
        sameArgument(arg, where);
        return std::nullopt;
      }
      ArgTest &ot = o.test;
      const ArgTest &t = k.test;
      if (ot == t)
        continue;
      if (isEquality(ot) && isEquality(t)) {
        uint64_t m1 = maskOf(ot), m2 = maskOf(t);
        if ((ot.value ^ t.value) & m1 & m2)
          return std::nullopt;
        uint64_t m = m1 | m2;
        ot = m == Full64 ? ArgTest{arg, Op::EQ, Full64, ot.value | t.value}
                         : ArgTest{arg, Op::MaskedEQ, m, ot.value | t.value};
        continue;
      }
      // An exact value decides the other comparison.
      if (ot.op == Op::EQ) {
        if (!holds(t, ot.value))
          return std::nullopt;
        continue;
      }
      if (t.op == Op::EQ) {
        if (!holds(ot, t.value))
          return std::nullopt;
        ot = t;
        continue;
      }
      sameArgument(arg, where);
      return std::nullopt;
    }
    return out;
  }

  void sameArgument(unsigned arg, llvm::SMRange where) {
    std::string name;
    for (const kb::SyscallArg &a : sig)
      if (a.index == arg)
        name = a.name.str();
    error(DiagID::err_condition_same_arg, where, {name});
  }

  llvm::StringRef syscall;
  kb::Arch arch;
  const std::vector<kb::SyscallArg> &sig;
  const ConditionReporter &report;
  bool failed = false;
};

} // namespace

std::optional<DNF> sema::lowerCondition(const ast::Condition &cond,
                                        llvm::StringRef syscall, kb::Arch arch,
                                        const ConditionReporter &report) {
  std::optional<std::vector<kb::SyscallArg>> sig =
      kb::getSyscallSignature(syscall, arch);
  if (!sig) {
    report(DiagID::err_condition_no_signature, cond.range, {syscall.str()});
    return std::nullopt;
  }
  return Lowerer(syscall, arch, *sig, report).run(cond);
}
