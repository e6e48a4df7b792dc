#pragma once

// Not public API: the pure part of surrealqt-inspect, turning what the server says about a table
// (INFO FOR DB STRUCTURE, INFO FOR TABLE … STRUCTURE, sample records) into the header of a
// SurrealQt::Model subclass. Unit-tested without a server (tests/tools).

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>
#include <QtCore/QVariantMap>

namespace SurrealQt::Inspect {

// What the server said about one table.
struct TableDescription
{
    QString name;
    QVariantMap definition; // its entry in INFO FOR DB STRUCTURE's "tables"
    QVariantMap structure;  // INFO FOR TABLE <name> STRUCTURE
    QVariantList sample;    // records read for a table that defines no fields
};

struct GeneratedModel
{
    QString className;
    QString fileName; // <table>.h
    QString text;
    // Constructs that could not be expressed as model options (also written as comments).
    QStringList unmapped;
    // Fields whose type was inferred from sample records.
    QStringList inferred;
};

class ModelGenerator
{
public:
    // "blog_post" -> "BlogPost"; anything that is not a letter or digit separates words.
    [[nodiscard]] static QString classNameFor(const QString &table);
    [[nodiscard]] static GeneratedModel generate(const TableDescription &table, const QString &source);
};

} // namespace SurrealQt::Inspect
