// sample_load: the duty cycle's view of the server, through the one catalog query.
#include "platform/catalog/load_queries.hpp"

#include <migsafe/backfill/duty_cycle.hpp>

namespace migsafe::backfill {

LoadSample sample_load(platform::Session& session)
{
    const auto load = platform::catalog::session_load(session);
    return {.active = load.active, .waiting = load.waiting, .hidden = load.hidden};
}

} // namespace migsafe::backfill
