/*
 * Copyright (c) 2026 The Gatehouse authors. ISC licence: see LICENSE.
 *
 * Page files kept in memory. Every protected page and every form is
 * read from a file, and reading one costs five system calls (open,
 * fstat, two reads, close), more than the rest of the request's own
 * work. A worker keeps the files it read lately and, on each request,
 * asks the file system only whether the file is still the one it read
 * (one lstat): edits are still live at once, as the manuals promise.
 *
 * A file is the one read while its device, inode, size, mtime and ctime
 * are unchanged. ctime cannot be set by any user, and moves on every
 * write, chmod, rename over, or touch. But file times come from a
 * coarse clock: a write in the same tick as our read could leave them
 * as they were. So a file is kept only once its ctime is FILE_SETTLED
 * seconds old; a younger file is read anew every time, which is what
 * every file cost before.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gatehouse.h"

#define FILE_SLOTS	16		/* files kept per worker */
#define FILE_KEEP_MAX	(64 * 1024)	/* larger files are read each time */
#define FILE_SETTLED	2		/* seconds; see above */

struct file_slot {
	char		*path;		/* NULL: free */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	struct timespec	 ctime;
	char		*data;
	size_t		 len;
};

static struct file_slot	 slots[FILE_SLOTS];
static size_t		 next_victim;

static int	 same_file(const struct file_slot *, const struct stat *);
static void	 keep(const char *, const struct stat *, const char *,
		    size_t);

static int
same_file(const struct file_slot *s, const struct stat *sb)
{
	return s->dev == sb->st_dev && s->ino == sb->st_ino &&
	    s->size == sb->st_size &&
	    s->mtime.tv_sec == sb->st_mtim.tv_sec &&
	    s->mtime.tv_nsec == sb->st_mtim.tv_nsec &&
	    s->ctime.tv_sec == sb->st_ctim.tv_sec &&
	    s->ctime.tv_nsec == sb->st_ctim.tv_nsec;
}

/* Remember "len" bytes read from "path", which "sb" describes. */
static void
keep(const char *path, const struct stat *sb, const char *data, size_t len)
{
	struct file_slot	*s = NULL;
	size_t			 i;

	for (i = 0; i < FILE_SLOTS && s == NULL; i++)
		if (slots[i].path != NULL && strcmp(slots[i].path, path) == 0)
			s = &slots[i];
	for (i = 0; i < FILE_SLOTS && s == NULL; i++)
		if (slots[i].path == NULL)
			s = &slots[i];
	if (s == NULL)
		s = &slots[next_victim++ % FILE_SLOTS];
	free(s->path);
	free(s->data);
	memset(s, 0, sizeof(*s));

	/* Out of memory, the file is simply read again next time. */
	if ((s->data = malloc(len + 1)) == NULL)
		return;
	if ((s->path = strdup(path)) == NULL) {
		free(s->data);
		s->data = NULL;
		return;
	}
	memcpy(s->data, data, len);
	s->data[len] = '\0';
	s->len = len;
	s->dev = sb->st_dev;
	s->ino = sb->st_ino;
	s->size = sb->st_size;
	s->mtime = sb->st_mtim;
	s->ctime = sb->st_ctim;
}

/*
 * file_read, for files read again and again: page templates and
 * protected pages. Appends the contents of the regular file at "path"
 * to "out", refusing files larger than "max" bytes; "now" is the time,
 * which says whether the file is settled (see above). Returns 0, or -1
 * with errno set as file_read sets it (ELOOP for a symbolic link as the
 * last part, as O_NOFOLLOW gives) and "out" as it was.
 */
int
file_read_cached(const char *path, size_t max, int64_t now, struct buf *out)
{
	struct stat	 sb;
	size_t		 i, start = out->len;

	if (lstat(path, &sb) == -1)
		return -1;
	if (S_ISLNK(sb.st_mode)) {
		errno = ELOOP;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		errno = S_ISDIR(sb.st_mode) ? EISDIR : ENOENT;
		return -1;
	}
	for (i = 0; i < FILE_SLOTS; i++)
		if (slots[i].path != NULL && same_file(&slots[i], &sb) &&
		    strcmp(slots[i].path, path) == 0 && slots[i].len <= max) {
			if (buf_add(out, slots[i].data, slots[i].len) == -1) {
				errno = ENOMEM;
				return -1;
			}
			return 0;
		}

	if (file_read(path, max, out) == -1)
		return -1;
	/*
	 * The times are those seen before the read: a change made while
	 * reading moves them on, and the next request reads again.
	 */
	if (out->len - start <= FILE_KEEP_MAX &&
	    now - (int64_t)sb.st_ctim.tv_sec >= FILE_SETTLED &&
	    now - (int64_t)sb.st_mtim.tv_sec >= FILE_SETTLED)
		keep(path, &sb, out->data + start, out->len - start);
	return 0;
}

/* Forget every file kept (tests; a worker keeps them until it exits). */
void
file_cache_clear(void)
{
	size_t	 i;

	for (i = 0; i < FILE_SLOTS; i++) {
		free(slots[i].path);
		free(slots[i].data);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	next_victim = 0;
}
