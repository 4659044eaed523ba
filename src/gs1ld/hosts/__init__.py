"""Hosts: rules that make a static web server behave like a GS1 resolver.

nginx (``nginx.conf`` and the ``nginx-map/`` link map), Apache httpd
(``apache.conf`` with the ``apache-links/`` map, or ``.htaccess`` alone) and
Netlify/Cloudflare Pages (``_headers``, ``_redirects``), all written from one
grammar (:mod:`gs1ld.hosts.syntax`, itself made from :mod:`gs1ld.publish`'s
link types, file names and media types), so a host answers as ``gs1ld serve``
does as far as its rules can express.  Built with an upstream, ``nginx.conf``
and ``apache.conf`` pass the rest to ``gs1ld serve`` (the hybrid).
``tests/resolver/`` runs nginx, Apache and both hybrids against the same cases
as the server.
"""

from gs1ld.hosts.apache import APACHE_MAP_DBM, APACHE_MAP_DIR, apache_conf, htaccess
from gs1ld.hosts.link_map import LINK_MAP_DIR, link_map_entries, link_map_lines
from gs1ld.hosts.nginx import nginx_conf
from gs1ld.hosts.rules import HOST_FILES, SITE_ROOT_PLACEHOLDER, HostMapWriter, host_rules

__all__ = [
    "APACHE_MAP_DBM",
    "APACHE_MAP_DIR",
    "HOST_FILES",
    "LINK_MAP_DIR",
    "SITE_ROOT_PLACEHOLDER",
    "HostMapWriter",
    "apache_conf",
    "host_rules",
    "htaccess",
    "link_map_entries",
    "link_map_lines",
    "nginx_conf",
]
