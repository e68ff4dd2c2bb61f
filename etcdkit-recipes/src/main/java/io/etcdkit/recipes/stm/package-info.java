/**
 * Software transactional memory over etcd: {@link io.etcdkit.recipes.stm.Stm} runs a function that reads and
 * writes several keys and commits its writes atomically only if what it read is still current, re-running it on
 * conflict, at one of four {@linkplain io.etcdkit.recipes.stm.Isolation isolation levels}.
 */
package io.etcdkit.recipes.stm;
