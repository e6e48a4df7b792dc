// Compiles the generated model of docs/models/inspect.md (doc_snippets_inspect.h) and checks at
// compile time that it is a model; tests/install checks what the tool really writes.
#include "doc_snippets_inspect.h"

#include <type_traits>

static_assert(std::is_base_of_v<SurrealQt::Model, Person>);
