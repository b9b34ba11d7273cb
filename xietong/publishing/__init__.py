"""What goes out composed of several features: the monthly report post (figures and workbook from
reports, targets' progress, the archive summary from customers). Above all of them, below the plugins."""
