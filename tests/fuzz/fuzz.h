/* SPDX-License-Identifier: ISC */
/*
 * fuzz.h: what a harness of tests/fuzz defines and what it may call.
 *
 * Each harness is one file that defines zn_fuzz_name and zn_fuzz_one;
 * fuzzmain.c (the libFuzzer entry points) runs zn_fuzz_one for each input
 * with exits turned into returns and the input's allocations, FILEs and
 * directories tracked, so that an input that ends in an error (exit 65,
 * say) leaves nothing behind for the next.  README says how to run them.
 */
#ifndef ZN_FUZZ_H
#define ZN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

extern const char zn_fuzz_name[];
/* Reads one input; may end in zn_die, which returns to the fuzzer. */
void zn_fuzz_one(const uint8_t *data, size_t size);
/*
 * The input written to a file of the harness's own directory, named
 * name (an extension tells the readers what the file is): its path.
 */
const char *zn_fuzz_file(const char *name, const uint8_t *data,
    size_t size);
/* The harness's own directory, for readers that take one. */
const char *zn_fuzz_dir(void);
/*
 * What zn-diff does with a graph: plans from nothing to g and from g to
 * nothing under drop policy drop, each plan written out and released.
 */
struct zn_graph;
void zn_fuzz_plans(const struct zn_graph *g, int drop);

#endif /* ZN_FUZZ_H */
