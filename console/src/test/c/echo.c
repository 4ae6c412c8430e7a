/*
 * An Atomic component in C, written from docs/bridge-protocol.md alone: it provides the service "echo" v1, whose
 * method 1 answers its text in upper case (ASCII), as the demo's EchoService does. Its manifest's [image] exec names
 * this program; the Sovereign starts it as
 *
 *     echo-c [image.args...] <lane> <id> <parent-pid> <inherited>
 *
 * with its lane segment on descriptor 3 and each pool it shares on the descriptor <inherited> names (pool0=4).
 * It says HELLO, waits for WELCOME, says COMPONENT_READY, then answers requests until STOP, beating its heartbeat on
 * every turn of its loop. With --try-mount among its arguments it first tries to mount a tmpfs, an attack its
 * sandbox's seccomp filter traps for the Engine to refuse and report, and logs the errno it met.
 * Build: gcc -O2 -o echo-c echo.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Lane segment (bridge-protocol.md, "Lane segment"). */
#define LANE_MAGIC 0x324E414C4D4F5441ULL /* "ATOMLAN2" */
#define OFF_MAGIC 0
#define OFF_VERSION 8
#define OFF_SLOT 12
#define OFF_GENERATION 16
#define OFF_PID 24
#define OFF_CAPACITIES 32
#define OFF_READY 44
#define OFF_HEARTBEAT 56
#define OFF_BELL_REQUESTS 64
#define OFF_BELL_DELIVERIES 128
#define RINGS_AT 4096
#define CLASSES 3

/* Rings (bridge-protocol.md, "Rings"): records, then a 768-byte trailer. */
#define TRAILER 768
#define TAIL_AT 128
#define HEAD_CACHE_AT 256
#define HEAD_AT 384
#define PADDING_TYPE (-1)
#define RECORD_HEADER 8

/* Frames (bridge-protocol.md, "Frames"). */
#define FRAME_HEADER 40
#define REQUEST 1
#define REPLY 2
#define ERROR 3
#define HELLO 4
#define WELCOME 5
#define STOP 6
#define COMPONENT_READY 12
#define FLAG_POOL 1
#define NORMAL 1

/* Pools (bridge-protocol.md, "Zero-copy: buffer pools"). */
#define POOL_MAGIC 0x314C4F504D4F5441ULL /* "ATOMPOL1" */
#define POOL_BUFFERS_AT 4096
#define MAX_POOLS 16

#define UPPERCASE 1

struct ring {
    uint8_t *base;
    int64_t capacity;
};

struct pool {
    int id;
    uint8_t *base;
    size_t size;
};

static uint8_t *lane;
static struct ring requests[CLASSES], deliveries[CLASSES];
static struct pool pools[MAX_POOLS];
static int pool_count;
static int32_t slot;
static volatile int welcomed, stopping;

static int64_t *at64(uint8_t *p) { return (int64_t *) p; }
static int32_t *at32(uint8_t *p) { return (int32_t *) p; }
static int64_t align8(int64_t n) { return (n + 7) & ~7LL; }
static int64_t round_page(int64_t n) { return (n + 4095) & ~4095LL; }

static void die(const char *what) {
    fprintf(stderr, "echo-c: %s\n", what);
    exit(1);
}

static long futex(int32_t *word, int op, int32_t value, const struct timespec *timeout) {
    return syscall(SYS_futex, word, op, value, timeout, NULL, 0);
}

/* The producer's side of a doorbell: after committing, wake the consumer if it sleeps. */
static void ring_bell(uint8_t *bell) {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(at32(bell + 4), __ATOMIC_SEQ_CST) != 0) {
        __atomic_add_fetch(at32(bell), 1, __ATOMIC_SEQ_CST);
        futex(at32(bell), FUTEX_WAKE, INT_MAX, NULL);
    }
}

/* Writes one frame into a ring this process produces (multi-producer claim, as the protocol says). */
static int offer(struct ring *r, int lane_class, int32_t type, int32_t target, int32_t method, int32_t status,
                 int64_t correlation, const uint8_t *payload, int32_t length) {
    int64_t record = RECORD_HEADER + FRAME_HEADER + length;
    int64_t required = align8(record);
    int64_t capacity = r->capacity;
    if (required > capacity / 8) {
        return 0;
    }
    int64_t *tail_at = at64(r->base + capacity + TAIL_AT), *head_at = at64(r->base + capacity + HEAD_AT);
    int64_t tail, index, padding;
    do {
        int64_t head = __atomic_load_n(head_at, __ATOMIC_ACQUIRE);
        tail = __atomic_load_n(tail_at, __ATOMIC_ACQUIRE);
        index = tail & (capacity - 1);
        padding = required > capacity - index ? capacity - index : 0;
        if (required + padding > capacity - (tail - head)) {
            return 0; /* full */
        }
    } while (!__atomic_compare_exchange_n(tail_at, &tail, tail + required + padding, 0, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    if (padding) {
        *at32(r->base + index + 4) = PADDING_TYPE;
        __atomic_store_n(at32(r->base + index), (int32_t) padding, __ATOMIC_RELEASE);
        index = 0;
    }
    uint8_t *rec = r->base + index;
    __atomic_store_n(at32(rec), (int32_t) -record, __ATOMIC_RELEASE);
    *at32(rec + 4) = type;
    uint8_t *f = rec + RECORD_HEADER;
    memset(f, 0, FRAME_HEADER);
    *at32(f + 0) = slot;
    *at32(f + 4) = target;
    *at32(f + 8) = method;
    *at32(f + 12) = status;
    *at64(f + 16) = correlation;
    *at64(f + 24) = 0; /* no deadline */
    *at32(f + 32) = length;
    f[36] = (uint8_t) lane_class;
    f[37] = 1; /* frame version */
    if (length > 0) {
        memcpy(f + FRAME_HEADER, payload, (size_t) length);
    }
    __atomic_store_n(at32(rec), (int32_t) record, __ATOMIC_RELEASE); /* the commit */
    ring_bell(lane + OFF_BELL_REQUESTS);
    return 1;
}

/* Answers must not be dropped: wait for room. */
static void send(int lane_class, int32_t type, int32_t target, int32_t method, int32_t status, int64_t correlation,
                 const uint8_t *payload, int32_t length) {
    while (!offer(&requests[lane_class], lane_class, type, target, method, status, correlation, payload, length)) {
        if (stopping) {
            return;
        }
        usleep(100);
    }
}

static const uint8_t *lent(const uint8_t *reference, int32_t *length) {
    int32_t id = *(const int32_t *) reference, size = *(const int32_t *) (reference + 4);
    int64_t offset = *(const int64_t *) (reference + 8);
    for (int i = 0; i < pool_count; i++) {
        if (pools[i].id == id && size >= 0 && offset >= 0
            && (uint64_t) offset + (uint64_t) size <= pools[i].size - POOL_BUFFERS_AT) {
            *length = size;
            return pools[i].base + POOL_BUFFERS_AT + offset;
        }
    }
    return NULL;
}

static void on_request(int lane_class, const uint8_t *f) {
    int32_t requester = *(const int32_t *) f, method = *(const int32_t *) (f + 8);
    int64_t correlation = *(const int64_t *) (f + 16);
    int32_t length = *(const int32_t *) (f + 32);
    uint16_t flags = *(const uint16_t *) (f + 38);
    const uint8_t *text = f + FRAME_HEADER;
    if (flags & FLAG_POOL) {
        text = length == 16 ? lent(f + FRAME_HEADER, &length) : NULL;
    }
    char why[128];
    if (method != UPPERCASE || text == NULL) {
        int n = snprintf(why, sizeof why, method != UPPERCASE ? "echo-c has no method %d" :
                                          "echo-c was lent a buffer of a pool it does not share", method);
        send(lane_class, ERROR, requester, method, 1, correlation, (const uint8_t *) why, n);
        return;
    }
    uint8_t *answer = malloc(length > 0 ? (size_t) length : 1);
    if (answer == NULL) {
        die("out of memory");
    }
    for (int32_t i = 0; i < length; i++) {
        uint8_t c = text[i];
        answer[i] = c >= 'a' && c <= 'z' ? (uint8_t) (c - 32) : c;
    }
    send(lane_class, REPLY, requester, method, 0, correlation, answer, length);
    free(answer);
}

/* Reads what the Engine delivered on one ring; the reader zeroes what it consumed and then moves the head. */
static int poll_ring(int lane_class) {
    struct ring *r = &deliveries[lane_class];
    int64_t capacity = r->capacity;
    int64_t *head_at = at64(r->base + capacity + HEAD_AT);
    int64_t head = *head_at, index = head & (capacity - 1), read = 0;
    int frames = 0;
    while (read < capacity - index) {
        uint8_t *rec = r->base + index + read;
        int32_t length = __atomic_load_n(at32(rec), __ATOMIC_ACQUIRE);
        if (length <= 0) {
            break;
        }
        if (length < RECORD_HEADER || index + read + align8(length) > capacity) {
            die("a delivery ring is corrupt");
        }
        int32_t type = *at32(rec + 4);
        read += align8(length);
        if (type == PADDING_TYPE) {
            continue;
        }
        if (length < RECORD_HEADER + FRAME_HEADER) {
            continue;
        }
        frames++;
        const uint8_t *f = rec + RECORD_HEADER;
        switch (type) {
            case WELCOME: welcomed = 1; break;
            case REQUEST: on_request(lane_class, f); break;
            case STOP: stopping = 1; break;
            default: break; /* SERVICE_UP/DOWN, ENGINE_RESTARTED, …: nothing a pure provider must do */
        }
    }
    if (read > 0) {
        memset(r->base + index, 0, (size_t) read);
        __atomic_store_n(head_at, head + read, __ATOMIC_RELEASE);
    }
    return frames;
}

static int poll_all(void) {
    int n = 0;
    for (int c = 0; c < CLASSES; c++) {
        n += poll_ring(c);
    }
    return n;
}

static int deliveries_empty(void) {
    for (int c = 0; c < CLASSES; c++) {
        struct ring *r = &deliveries[c];
        int64_t head = __atomic_load_n(at64(r->base + r->capacity + HEAD_AT), __ATOMIC_ACQUIRE);
        if (__atomic_load_n(at32(r->base + (head & (r->capacity - 1))), __ATOMIC_ACQUIRE) != 0) {
            return 0;
        }
    }
    return 1;
}

/* One turn of the loop: beat, read, and sleep on the delivery doorbell (at most 50 ms) when nothing came. */
static void turn(void) {
    __atomic_add_fetch(at64(lane + OFF_HEARTBEAT), 1, __ATOMIC_RELEASE);
    if (poll_all() > 0) {
        return;
    }
    uint8_t *bell = lane + OFF_BELL_DELIVERIES;
    int32_t seen = __atomic_load_n(at32(bell), __ATOMIC_SEQ_CST);
    __atomic_store_n(at32(bell + 4), 1, __ATOMIC_SEQ_CST);
    if (deliveries_empty()) {
        struct timespec timeout = {0, 50 * 1000 * 1000};
        futex(at32(bell), FUTEX_WAIT, seen, &timeout); /* shared: the word is in shared memory */
    }
    __atomic_store_n(at32(bell + 4), 0, __ATOMIC_SEQ_CST);
}

static void *map_fd(int fd, size_t *size) {
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        return NULL;
    }
    void *p = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    *size = (size_t) st.st_size;
    return p == MAP_FAILED ? NULL : p;
}

/* <inherited>: "-", or "pool0=4,fast1=5". Fast paths are not used by this component. */
static void map_pools(const char *inherited) {
    const char *p = inherited;
    while (*p && strcmp(inherited, "-") != 0) {
        int id, fd, used;
        if (sscanf(p, "pool%d=%d%n", &id, &fd, &used) == 2 && pool_count < MAX_POOLS) {
            size_t size;
            uint8_t *base = map_fd(fd, &size);
            if (base == NULL || size < POOL_BUFFERS_AT || *at64(base) != (int64_t) POOL_MAGIC) {
                die("an inherited pool descriptor is not an Atomic pool");
            }
            pools[pool_count++] = (struct pool) {id, base, size};
            p += used;
        }
        p = strchr(p, ',');
        if (p == NULL) {
            break;
        }
        p++;
    }
}

int main(int argc, char **argv) {
    if (argc < 5) {
        die("usage: echo-c [args...] <lane> <id> <parent-pid> <inherited>");
    }
    const char *id = argv[argc - 3], *inherited = argv[argc - 1];
    size_t size;
    lane = map_fd(3, &size);
    if (lane == NULL || size < RINGS_AT || *at64(lane + OFF_MAGIC) != (int64_t) LANE_MAGIC
        || *at32(lane + OFF_VERSION) != 2) {
        die("descriptor 3 is not an Atomic lane segment");
    }
    int64_t at = RINGS_AT;
    for (int dir = 0; dir < 2; dir++) {
        for (int c = 0; c < CLASSES; c++) {
            int64_t capacity = *at32(lane + OFF_CAPACITIES + 4 * c);
            if (capacity < 1024 || (capacity & (capacity - 1)) != 0) {
                die("a ring capacity is not a power of two");
            }
            struct ring *r = dir == 0 ? &requests[c] : &deliveries[c];
            r->base = lane + at;
            r->capacity = capacity;
            at += round_page(capacity + TRAILER);
        }
    }
    if ((size_t) at > size) {
        die("the rings do not fit the lane segment");
    }
    map_pools(inherited);
    slot = *at32(lane + OFF_SLOT);

    /* The Sovereign writes our pid as the host sees it before it tells the Engine; HELLO says it. */
    int64_t pid;
    for (int waited = 0; (pid = __atomic_load_n(at64(lane + OFF_PID), __ATOMIC_ACQUIRE)) == 0; waited++) {
        if (waited > 10000) {
            die("no pid in the lane segment within 10 s");
        }
        usleep(1000);
    }
    send(NORMAL, HELLO, 0, 0, __atomic_load_n(at32(lane + OFF_GENERATION), __ATOMIC_ACQUIRE), pid, NULL, 0);
    for (int turns = 0; !welcomed; turns++) {
        if (turns > 200) {
            die("the Engine did not answer HELLO within 10 s");
        }
        turn();
    }
    for (int i = 1; i < argc - 4; i++) {
        if (strcmp(argv[i], "--try-mount") == 0) {
            int r = mount("none", "/tmp", "tmpfs", 0, NULL);
            fprintf(stderr, "%s: mount: %s\n", id, r == 0 ? "mounted" : strerror(errno));
        }
    }
    __atomic_store_n(at32(lane + OFF_READY), 1, __ATOMIC_RELEASE);
    send(NORMAL, COMPONENT_READY, 0, 0, 0, 0, NULL, 0);
    fprintf(stderr, "%s: serving echo v1 in C (slot %d, pid %lld as the host sees it, %d pool(s))\n", id, slot,
            (long long) pid, pool_count);
    while (!stopping) {
        turn();
    }
    fprintf(stderr, "%s: stopped\n", id);
    return 0;
}
