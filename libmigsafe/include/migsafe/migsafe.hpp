#pragma once

/// Everything libmigsafe offers, in one include. Deploy tools that need one engine only
/// can include its headers under <migsafe/AREA/...> instead.

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/integrity/checksum.hpp>
#include <migsafe/integrity/compare.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/report.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/migration.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/render.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/plan/rule.hpp>
#include <migsafe/platform/assert.hpp>
#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/platform/hash.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/libpq_environment.hpp>
#include <migsafe/platform/log.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/manifest.hpp>
#include <migsafe/snapshot/prune.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/trace/trace.hpp>
#include <migsafe/version.hpp>
#include <migsafe/workflow/demo.hpp>
#include <migsafe/workflow/drill.hpp>
