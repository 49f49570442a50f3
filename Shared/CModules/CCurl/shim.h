#ifndef MUSTER_CCURL_SHIM_H
#define MUSTER_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo are variadic and do not import into Swift:
   one typed wrapper per argument kind. */
static inline CURLcode muster_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode muster_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode muster_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode muster_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*muster_curl_data_cb)(char *, size_t, size_t, void *);
static inline CURLcode muster_curl_setopt_data_cb(CURL *h, CURLoption o, muster_curl_data_cb cb) { return curl_easy_setopt(h, o, cb); }
typedef int (*muster_curl_debug_cb)(CURL *, curl_infotype, char *, size_t, void *);
static inline CURLcode muster_curl_setopt_debug_cb(CURL *h, CURLoption o, muster_curl_debug_cb cb) { return curl_easy_setopt(h, o, cb); }
static inline CURLcode muster_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode muster_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode muster_curl_getinfo_ptr(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode muster_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode muster_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
#endif
