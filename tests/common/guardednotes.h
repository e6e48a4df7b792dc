#pragma once

// A database where a record user may read every note but change only their own, for the tests
// of writes a permission rule refuses (which the engine answers like writes to missing records).

#include <QtCore/QString>

namespace GuardedNotes {

// The schema: access "member" (SIGNUP with a name), table note, and note:theirs, which belongs
// to someone else and holds text 'keep'.
inline QString schema()
{
    return QStringLiteral(
        "DEFINE TABLE member SCHEMALESS PERMISSIONS FOR select WHERE id = $auth.id;"
        "DEFINE ACCESS member ON DATABASE TYPE RECORD SIGNUP (CREATE member SET name = $name)"
        " SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;"
        "DEFINE TABLE note SCHEMALESS PERMISSIONS FOR select FULL, FOR create FULL,"
        " FOR update, delete WHERE owner = $auth.id;"
        "CREATE note:theirs SET owner = member:other, text = 'keep';");
}

} // namespace GuardedNotes
