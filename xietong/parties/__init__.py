"""The customer's identity that orders, finance, customers and reports all share: the ``Customer`` row and
finding it by the name people type. Below orders, so every feature may use it without a back-arrow."""
