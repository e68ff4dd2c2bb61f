/**
 * etcdkit's Micrometer binding: {@link io.etcdkit.micrometer.EtcdMetrics} turns the client's listener SPI
 * ({@link io.etcdkit.observe.EtcdListener}) into meters under {@code etcdkit.} and, optionally, one
 * {@code etcdkit.call} observation per call. Guide: {@code docs/metrics.md}.
 */
package io.etcdkit.micrometer;
