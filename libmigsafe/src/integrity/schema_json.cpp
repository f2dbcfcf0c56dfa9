// The JSON form and the hash of a schema fingerprint.
#include <migsafe/integrity/schema.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/hash.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::integrity {

std::string SchemaFingerprint::hash() const
{
    // Each string is written with its length before it, so that no value, whatever bytes
    // it holds, can shift one object's text into the next one's.
    Hasher hasher;
    auto add = [&](std::string_view text) {
        hasher.update(fmt::format("{}:", text.size()));
        hasher.update(text);
    };
    for (const auto& object : objects) {
        add(object.kind);
        add(object.name);
        hasher.update(fmt::format("{}:", object.attributes.size()));
        for (const auto& [key, value] : object.attributes) {
            add(key);
            add(value);
        }
    }
    return hasher.digest().to_hex();
}

std::string SchemaFingerprint::to_json(int indent) const
{
    auto doc = nlohmann::ordered_json::array();
    for (const auto& object : objects) {
        nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
        for (const auto& [key, value] : object.attributes) {
            attributes[key] = value;
        }
        doc.push_back(
            {{"kind", object.kind}, {"name", object.name}, {"attributes", std::move(attributes)}});
    }
    // Names and definitions come from the server as stored: in a SQL_ASCII database any
    // byte. Invalid UTF-8 is written as U+FFFD rather than making the document unwritable.
    return doc.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

SchemaFingerprint SchemaFingerprint::from_json(std::string_view text)
{
    SchemaFingerprint out;
    try {
        for (const auto& item : nlohmann::json::parse(text)) {
            SchemaObject object{.kind = item.at("kind").get<std::string>(),
                                .name = item.at("name").get<std::string>()};
            for (const auto& [key, value] : item.at("attributes").items()) {
                object.attributes[key] = value.get<std::string>();
            }
            out.objects.push_back(std::move(object));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error("input-invalid-report",
                    fmt::format("not a schema fingerprint (an array of {{kind, name, "
                                "attributes}}): {}",
                                e.what()));
    }
    return out;
}

} // namespace migsafe::integrity
