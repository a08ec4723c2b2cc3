//===- Vocabulary.h - the intent vocabulary, for people ---------*- C++ -*-===//
//
// What each intent verb, syscall family, network object and capability means
// in each backend, rendered from the knowledge base's tables (the .def files
// under include/polc/KB/) and nothing else. `polc intents` prints it; the
// build writes docs/intents.md with it, and a test fails when the copy in the
// repository is not current, so the reference cannot drift from the data.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_REVIEW_VOCABULARY_H
#define POLC_REVIEW_VOCABULARY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include "polc/KB/KnowledgeBase.h"

namespace polc::review {

/// The whole reference, docs/intents.md.
void writeVocabularyMarkdown(llvm::raw_ostream &out);

/// The Markdown verb table, with the rows of \p verbs (every verb when
/// empty).
void writeVerbTable(llvm::ArrayRef<kb::Verb> verbs, llvm::raw_ostream &out);

/// The Markdown operation table, with the rows of \p ops (every operation
/// when empty).
void writeOperationTable(llvm::ArrayRef<kb::Operation> ops,
                         llvm::raw_ostream &out);

/// A plain-text summary of \p verbs: for each, its class and what a grant
/// and a denial give in AppArmor and in seccomp.
/// The peer verbs' table (Peers.def), all of them when \p verbs is empty.
void writePeerTable(llvm::ArrayRef<kb::PeerVerb> verbs, llvm::raw_ostream &out);
/// What each of \p verbs gives, as plain text.
void writePeerSummary(llvm::ArrayRef<kb::PeerVerb> verbs,
                      llvm::raw_ostream &out);
void writeVerbSummary(llvm::ArrayRef<kb::Verb> verbs, llvm::raw_ostream &out);

/// The same for operations (intents without objects: `load modules`).
void writeOperationSummary(llvm::ArrayRef<kb::Operation> ops,
                           llvm::raw_ostream &out);

} // namespace polc::review

#endif
