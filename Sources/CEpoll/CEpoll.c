#include "CEpoll.h"
#include <sys/epoll.h>

const uint32_t CEPOLL_IN = EPOLLIN;
const uint32_t CEPOLL_OUT = EPOLLOUT;
const uint32_t CEPOLL_ERR = EPOLLERR;
const uint32_t CEPOLL_HUP = EPOLLHUP;

int cepoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static int control(int epoll, int operation, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event = { .events = events, .data = { .u64 = data } };
    return epoll_ctl(epoll, operation, fd, &event);
}

int cepoll_add(int epoll, int fd, uint32_t events, uint64_t data) { return control(epoll, EPOLL_CTL_ADD, fd, events, data); }

int cepoll_modify(int epoll, int fd, uint32_t events, uint64_t data) { return control(epoll, EPOLL_CTL_MOD, fd, events, data); }

int cepoll_remove(int epoll, int fd) { return control(epoll, EPOLL_CTL_DEL, fd, 0, 0); }

int cepoll_wait(int epoll, cepoll_event *ready, int capacity, int timeout) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll, events, capacity, timeout);
    for (int i = 0; i < count; i++) {
        ready[i].events = events[i].events;
        ready[i].data = events[i].data.u64;
    }
    return count;
}
