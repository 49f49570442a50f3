#ifndef MUSTER_CSYSTEM_SHIM_H
#define MUSTER_CSYSTEM_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>

/* accept4 needs _GNU_SOURCE, which the Glibc module does not define. */
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

static inline FILE *muster_stdout(void) { return stdout; }
static inline FILE *muster_stderr(void) { return stderr; }
#endif
