#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

namespace migsafe::platform {

/// A transaction on a `Session`: BEGIN when made, ROLLBACK when it goes out of scope
/// without `commit()` (also while an exception unwinds). Not copyable or movable.
class MIGSAFE_API Transaction {
public:
    /// Sends BEGIN. Throws the errors of `Session::exec`.
    explicit Transaction(Session& session);
    /// Rolls back unless committed; a failed ROLLBACK is logged, never thrown.
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    /// Sends COMMIT. Throws the errors of `Session::exec`; after a failed COMMIT the
    /// transaction is over (the server rolled it back).
    void commit();

private:
    Session& m_session;
    bool m_open = true;
};

} // namespace migsafe::platform
