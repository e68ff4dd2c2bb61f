// Command etcdkit-go-bench runs etcdkit-bench's operation workloads (put, range-linearizable,
// range-serializable, txn-put) with Go's etcd client (go.etcd.io/etcd/clientv3), so the bench can show Go's
// client next to the Java ones, measured the same way: a closed loop of -in-flight operations, keys cycling
// over the key space, latency from issue to completion, and this process's own CPU time (getrusage: user +
// system, all threads, GC included) per operation.
//
// Two modes. Standalone: flags give the workload and sizes; it warms up, measures and prints one JSON object.
// Served (-serve): the Java bench (GoTarget) sends one JSON command per line on stdin and reads one JSON line
// per command on stdout, so the Go client's slices interleave with the Java clients' slices.
//
// Built by etcdkit-bench's go-bench.sh with Debian's golang-go and golang-etcd-server-dev (GOPATH mode, offline).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
)

// command is one line the Java bench sends in -serve mode.
type command struct {
	Op       string `json:"op"`       // prepare, verify, run, quit
	Workload string `json:"workload"` // prepare: put, range-linearizable, range-serializable, txn-put
	Prefix   string `json:"prefix"`   // prepare: key prefix; keys are <prefix>k%07d
	Keys     int    `json:"keys"`     // prepare: key space size
	Value    []byte `json:"value"`    // prepare and verify: the value (base64 in JSON)
	Key      []byte `json:"key"`      // verify: a key to write and read back
	First    int64  `json:"first"`    // run: index of the first operation
	Count    int    `json:"count"`    // run: operations
	InFlight int    `json:"inFlight"` // run: operations outstanding at once
}

// result is what one measured run did and used.
type result struct {
	Workload     string     `json:"workload"`
	Ops          int        `json:"ops"`
	Errors       int64      `json:"errors"`
	Unexpected   int64      `json:"unexpected"`
	FirstError   string     `json:"firstError,omitempty"`
	ElapsedNanos int64      `json:"elapsedNanos"`
	OpsPerSecond float64    `json:"opsPerSecond"`
	P50Micros    float64    `json:"p50Micros"`
	P99Micros    float64    `json:"p99Micros"`
	P999Micros   float64    `json:"p999Micros"`
	CPUNanos     int64      `json:"cpuNanos"` // getrusage(RUSAGE_SELF) user + system over the run
	CPUMicrosOp  float64    `json:"cpuMicrosPerOp"`
	AllocBytes   uint64     `json:"allocBytes"` // runtime.MemStats.TotalAlloc over the run
	GCCount      uint32     `json:"gcCount"`
	GCPauseNanos uint64     `json:"gcPauseNanos"`
	Latencies    [][2]int64 `json:"latencies"` // [nanoseconds rounded to 3 significant digits, count], ascending
}

type reply struct {
	Ok     bool    `json:"ok"`
	Error  string  `json:"error,omitempty"`
	Result *result `json:"result,omitempty"`
}

// bench holds the client and the prepared workload.
type bench struct {
	cli      *clientv3.Client
	deadline time.Duration
	workload string
	keys     []string
	value    string
}

func main() {
	endpoints := flag.String("endpoints", "http://127.0.0.1:2379", "comma-separated client URLs")
	serve := flag.Bool("serve", false, "read JSON commands from stdin, one per line (the Java bench's mode)")
	workload := flag.String("workload", "put", "put, range-linearizable, range-serializable or txn-put")
	ops := flag.Int("ops", 100000, "measured operations")
	warmup := flag.Int("warmup-ops", 50000, "warm-up operations")
	inFlight := flag.Int("in-flight", 64, "operations outstanding at once")
	keySpace := flag.Int("key-space", 10000, "distinct keys cycled over")
	valueSize := flag.Int("value-size", 256, "bytes per value")
	deadline := flag.Duration("deadline", 10*time.Second, "deadline of every call (etcdkit's default is 10s; 0: none)")
	flag.Parse()

	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(*endpoints, ","), DialTimeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcdkit-go-bench: connecting:", err)
		os.Exit(2)
	}
	defer cli.Close()
	b := &bench{cli: cli, deadline: *deadline}
	if *serve {
		os.Exit(b.serve())
	}
	value := make([]byte, *valueSize)
	for i := range value {
		value[i] = byte('a' + i%26)
	}
	prefix := "bench/go/" + *workload + "/"
	b.prepare(*workload, prefix, *keySpace, value)
	if strings.HasPrefix(*workload, "range") {
		for i, k := range b.keys {
			if _, err := cli.Put(context.Background(), k, b.value); err != nil {
				fmt.Fprintln(os.Stderr, "etcdkit-go-bench: preloading key", i, ":", err)
				os.Exit(1)
			}
		}
	}
	b.run(0, *warmup, *inFlight)
	r := b.run(int64(*warmup), *ops, *inFlight)
	r.Latencies = nil
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	if r.Errors > 0 {
		os.Exit(1)
	}
}

func (b *bench) serve() int {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var c command
		var rep reply
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			rep.Error = "bad command: " + err.Error()
		} else {
			switch c.Op {
			case "prepare":
				if err := b.prepare(c.Workload, c.Prefix, c.Keys, c.Value); err != nil {
					rep.Error = err.Error()
				} else {
					rep.Ok = true
				}
			case "verify":
				if err := b.verify(string(c.Key), string(c.Value)); err != nil {
					rep.Error = err.Error()
				} else {
					rep.Ok = true
				}
			case "run":
				if b.keys == nil {
					rep.Error = "run before prepare"
				} else {
					rep.Ok = true
					rep.Result = b.run(c.First, c.Count, c.InFlight)
				}
			case "quit":
				return 0
			default:
				rep.Error = "unknown op '" + c.Op + "'; known: prepare, verify, run, quit"
			}
		}
		line, _ := json.Marshal(rep)
		out.Write(line)
		out.WriteByte('\n')
		out.Flush()
	}
	return 0
}

func (b *bench) prepare(workload, prefix string, n int, value []byte) error {
	switch workload {
	case "put", "range-linearizable", "range-serializable", "txn-put":
	default:
		return fmt.Errorf("workload '%s' is not supported by the Go client target", workload)
	}
	if n <= 0 {
		return fmt.Errorf("key space must be positive, got %d", n)
	}
	b.workload = workload
	b.keys = make([]string, n)
	for i := range b.keys {
		b.keys[i] = fmt.Sprintf("%sk%07d", prefix, i)
	}
	b.value = string(value)
	return nil
}

func (b *bench) verify(key, value string) error {
	if _, err := b.cli.Put(context.Background(), key, value); err != nil {
		return err
	}
	r, err := b.cli.Get(context.Background(), key)
	if err != nil {
		return err
	}
	if len(r.Kvs) != 1 || string(r.Kvs[0].Value) != value {
		return fmt.Errorf("read back %d values after a put", len(r.Kvs))
	}
	return nil
}

// issue runs operation i and says whether the answer was the expected one.
func (b *bench) issue(i int64) (bool, error) {
	key := b.keys[i%int64(len(b.keys))]
	ctx := context.Background()
	if b.deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.deadline)
		defer cancel()
	}
	switch b.workload {
	case "put":
		_, err := b.cli.Put(ctx, key, b.value)
		return err == nil, err
	case "range-linearizable":
		r, err := b.cli.Get(ctx, key)
		return err == nil && r.Count > 0, err
	case "range-serializable":
		r, err := b.cli.Get(ctx, key, clientv3.WithSerializable())
		return err == nil && r.Count > 0, err
	default: // txn-put
		r, err := b.cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(key), ">", -1)).
			Then(clientv3.OpPut(key, b.value)).Commit()
		return err == nil && r.Succeeded, err
	}
}

// run issues operations first .. first+count-1 from inFlight goroutines (a closed loop: a goroutine issues its
// next operation when its last one completed), recording each one's latency.
func (b *bench) run(first int64, count, inFlight int) *result {
	if inFlight < 1 {
		inFlight = 1
	}
	lat := make([]int64, count)
	var next int64 = -1
	var errs, unexpected int64
	var firstErr atomic.Value
	var before, after syscall.Rusage
	var mem0, mem1 runtime.MemStats
	runtime.ReadMemStats(&mem0)
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < inFlight; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := atomic.AddInt64(&next, 1)
				if n >= int64(count) {
					return
				}
				t0 := time.Now()
				ok, err := b.issue(first + n)
				lat[n] = int64(time.Since(t0))
				if err != nil {
					atomic.AddInt64(&errs, 1)
					firstErr.Store(err.Error())
				} else if !ok {
					atomic.AddInt64(&unexpected, 1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	runtime.ReadMemStats(&mem1)
	cpu := tvNanos(after.Utime) + tvNanos(after.Stime) - tvNanos(before.Utime) - tvNanos(before.Stime)
	r := &result{Workload: b.workload, Ops: count, Errors: errs, Unexpected: unexpected,
		ElapsedNanos: int64(elapsed), OpsPerSecond: float64(count) / elapsed.Seconds(), CPUNanos: cpu,
		CPUMicrosOp: float64(cpu) / 1e3 / float64(count), AllocBytes: mem1.TotalAlloc - mem0.TotalAlloc,
		GCCount: mem1.NumGC - mem0.NumGC, GCPauseNanos: mem1.PauseTotalNs - mem0.PauseTotalNs}
	if s, ok := firstErr.Load().(string); ok {
		r.FirstError = s
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if count > 0 {
		r.P50Micros = float64(lat[(count-1)*50/100]) / 1e3
		r.P99Micros = float64(lat[(count-1)*99/100]) / 1e3
		r.P999Micros = float64(lat[(count-1)*999/1000]) / 1e3
	}
	r.Latencies = buckets(lat)
	return r
}

// buckets folds sorted latencies into [value rounded to 3 significant digits, count] pairs (HdrHistogram's
// precision in the Java bench), so a run's latencies travel in a few hundred pairs.
func buckets(sorted []int64) [][2]int64 {
	var out [][2]int64
	for _, v := range sorted {
		r := round3(v)
		if len(out) > 0 && out[len(out)-1][0] == r {
			out[len(out)-1][1]++
		} else {
			out = append(out, [2]int64{r, 1})
		}
	}
	return out
}

func round3(v int64) int64 {
	if v < 1000 {
		return v
	}
	scale := int64(math.Pow10(int(math.Floor(math.Log10(float64(v)))) - 2))
	return v / scale * scale
}

func tvNanos(t syscall.Timeval) int64 {
	return int64(t.Sec)*1e9 + int64(t.Usec)*1e3
}
