/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * A pool of FastCGI worker processes on one listening socket, for when
 * the one who started Gatehouse will not start several itself (systemd
 * socket activation, spawn-fcgi -n under a supervisor). Each worker is
 * single-threaded and answers one request at a time, and a login holds
 * a worker for the whole password hash, so one process alone would make
 * every request wait behind every login.
 *
 * The parent only supervises: it starts "n" workers, starts a new one
 * when one dies, and on SIGTERM, SIGINT or SIGHUP stops them all and
 * leaves. The workers inherit the listening socket (standard input, as
 * FastCGI has it) and take connections from it in turn. They are forked
 * before anything is opened, so no database connection crosses a fork.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gatehouse.h"

static volatile sig_atomic_t	 stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Start one worker; returns its pid, or -1. The child never returns. */
static pid_t
start_worker(int (*serve)(void *), void *arg)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		log_warn("workers: fork");
		return -1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		_exit(serve(arg) == 0 ? 0 : 1);
	}
	return pid;
}

/*
 * Run "serve(arg)" in "n" worker processes until told to stop. Returns 0
 * after a stop signal, -1 if no worker could be started.
 */
int
workers_run(int n, int (*serve)(void *), void *arg)
{
	struct sigaction	 sa;
	pid_t			*pids, pid;
	time_t			 started;
	int			 i, status, live = 0;

	if ((pids = calloc((size_t)n, sizeof(*pids))) == NULL) {
		log_warn("workers");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a stop signal must end the wait below. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	for (i = 0; i < n; i++)
		if ((pids[i] = start_worker(serve, arg)) > 0)
			live++;
	if (live == 0) {
		free(pids);
		return -1;
	}
	log_info("workers: %d started", live);
	started = time(NULL);

	while (!stopping) {
		if ((pid = waitpid(-1, &status, 0)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n || stopping)
			continue;
		if (WIFSIGNALED(status))
			log_warnx("workers: worker %ld died of signal %d; "
			    "starting another", (long)pid, WTERMSIG(status));
		else
			log_warnx("workers: worker %ld exited with %d; "
			    "starting another", (long)pid,
			    WEXITSTATUS(status));
		/* A worker that cannot live: do not fork in a tight loop. */
		if (time(NULL) - started < 1)
			sleep(1);
		started = time(NULL);
		pids[i] = start_worker(serve, arg);
	}

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], &status, 0) == -1 &&
			    errno == EINTR)
				;
	log_info("workers: stopped");
	free(pids);
	return 0;
}
