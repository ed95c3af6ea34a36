// epoll(7) for the dev server: Swift's Glibc module does not export <sys/epoll.h>. The event record is
// copied into an unpacked struct of our own (glibc's `struct epoll_event` is packed on x86-64), and the
// flags are plain constants, so Swift sees ordinary types.
#ifndef CEPOLL_H
#define CEPOLL_H

#include <stdint.h>

/// One ready descriptor: the `data` it was registered with and what is ready (CEPOLL_IN, ...).
typedef struct {
    uint32_t events;
    uint64_t data;
} cepoll_event;

extern const uint32_t CEPOLL_IN;
extern const uint32_t CEPOLL_OUT;
extern const uint32_t CEPOLL_ERR;
extern const uint32_t CEPOLL_HUP;

/// A new epoll instance, close-on-exec; -1 with errno set otherwise.
int cepoll_create(void);
/// Starts watching `fd` for `events`, reported with `data`.
int cepoll_add(int epoll, int fd, uint32_t events, uint64_t data);
/// Changes what `fd` is watched for.
int cepoll_modify(int epoll, int fd, uint32_t events, uint64_t data);
/// Stops watching `fd`.
int cepoll_remove(int epoll, int fd);
/// Waits up to `timeout` ms (0: not at all) for at most `capacity` (and at most 256) ready descriptors;
/// returns how many, or -1 with errno set.
int cepoll_wait(int epoll, cepoll_event *ready, int capacity, int timeout);

#endif
